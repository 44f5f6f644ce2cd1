import { Arg, Authorized, Ctx, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { ReferralSettings as Settings } from '@herethere/db';
import { shopOf, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { FriendDiscountKindEnum, ReferralCompleteOnEnum, ReferralSettings } from './entity';
import { getReferralSettings, saveReferralSettings } from './data';

@InputType()
class FriendDiscountInput {
  @Field(() => FriendDiscountKindEnum) kind!: FriendDiscountKindEnum;
  @Field(() => Int) value!: number;
}

@InputType({ description: 'Only the fields given change.' })
class ReferralSettingsUpdateInput {
  @Field(() => Boolean, { nullable: true }) enabled?: boolean;
  @Field(() => Int, { nullable: true }) advocatePoints?: number;
  @Field(() => FriendDiscountInput, { nullable: true }) friendDiscount?: FriendDiscountInput;
  @Field(() => ReferralCompleteOnEnum, { nullable: true }) completeOn?: ReferralCompleteOnEnum;
  @Field(() => Boolean, { nullable: true }) smsEnabled?: boolean;
  @Field(() => Boolean, { nullable: true }) emailEnabled?: boolean;
  @Field(() => Int, { nullable: true }) maxReferralsPerIpPerWeek?: number;
}

@ObjectType()
class ReferralSettingsUpdatePayload {
  @Field(() => ReferralSettings, { nullable: true }) referralSettings?: Settings | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

export function validateReferralSettings(s: Settings): UserError[] {
  const errors: UserError[] = [];
  const int = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (!int(s.advocatePoints, 0, 1_000_000)) errors.push(userError(UserErrorCode.INVALID, 'advocatePoints must be a whole number from 0 to 1,000,000', ['input', 'advocatePoints']));
  if (s.friendDiscount.kind === 'percentage' && !int(s.friendDiscount.value, 1, 100)) errors.push(userError(UserErrorCode.INVALID, 'A percentage friend discount must be 1 to 100 (whole percent)', ['input', 'friendDiscount', 'value']));
  if (s.friendDiscount.kind === 'fixed_amount' && !int(s.friendDiscount.value, 1, 100_000_000)) errors.push(userError(UserErrorCode.INVALID, 'A fixed friend discount must be a positive amount in minor units', ['input', 'friendDiscount', 'value']));
  if (!int(s.maxReferralsPerIpPerWeek, 1, 10_000)) errors.push(userError(UserErrorCode.INVALID, 'maxReferralsPerIpPerWeek must be a whole number from 1 to 10,000', ['input', 'maxReferralsPerIpPerWeek']));
  return errors;
}

@Resolver(() => ReferralSettings)
export class ReferralSettingsResolver {
  @Authorized('merchant')
  @Query(() => ReferralSettings, { description: 'The shop’s referral program settings.' })
  async referralSettings(@Ctx() ctx: Context): Promise<Settings> {
    return getReferralSettings(ctx, shopOf(ctx, 'merchant').merchantId);
  }

  @Authorized('merchant')
  @Mutation(() => ReferralSettingsUpdatePayload, { description: 'Changes the referral program: rewards, completion rule, channels and the per-IP fraud limit.' })
  async referralSettingsUpdate(@Arg('input', () => ReferralSettingsUpdateInput) input: ReferralSettingsUpdateInput, @Ctx() ctx: Context): Promise<ReferralSettingsUpdatePayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const current = await getReferralSettings(ctx, merchantId);
    const next: Settings = {
      enabled: input.enabled ?? current.enabled,
      advocatePoints: input.advocatePoints ?? current.advocatePoints,
      friendDiscount: input.friendDiscount ? { kind: input.friendDiscount.kind as Settings['friendDiscount']['kind'], value: input.friendDiscount.value } : current.friendDiscount,
      completeOn: (input.completeOn as Settings['completeOn'] | undefined) ?? current.completeOn,
      smsEnabled: input.smsEnabled ?? current.smsEnabled,
      emailEnabled: input.emailEnabled ?? current.emailEnabled,
      maxReferralsPerIpPerWeek: input.maxReferralsPerIpPerWeek ?? current.maxReferralsPerIpPerWeek,
    };
    const errors = validateReferralSettings(next);
    if (errors.length) return { referralSettings: null, userErrors: errors };
    return { referralSettings: await saveReferralSettings(ctx, merchantId, next), userErrors: [] };
  }
}
