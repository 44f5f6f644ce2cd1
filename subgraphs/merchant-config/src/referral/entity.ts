import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum ReferralCompleteOnEnum {
  FIRST_ORDER = 'first_order',
  SIGNUP = 'signup',
}
registerEnumType(ReferralCompleteOnEnum, { name: 'ReferralCompleteOn', description: 'When a referral completes: on the friend’s first paid order, or when the friend signs up.' });

export enum FriendDiscountKindEnum {
  PERCENTAGE = 'percentage',
  FIXED_AMOUNT = 'fixed_amount',
}
registerEnumType(FriendDiscountKindEnum, { name: 'FriendDiscountKind' });

@ObjectType({ description: 'The welcome discount a referred friend gets.' })
export class FriendDiscount {
  @Field(() => FriendDiscountKindEnum) kind!: string;
  @Field(() => Int, { description: 'PERCENTAGE: whole percent (1–100); FIXED_AMOUNT: minor units of the shop currency.' }) value!: number;
}

@ObjectType({ description: 'How the shop’s referral program works.' })
export class ReferralSettings {
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => Int, { description: 'Points the advocate earns per completed referral.' }) advocatePoints!: number;
  @Field(() => FriendDiscount) friendDiscount!: FriendDiscount;
  @Field(() => ReferralCompleteOnEnum) completeOn!: string;
  @Field(() => Boolean) smsEnabled!: boolean;
  @Field(() => Boolean) emailEnabled!: boolean;
  @Field(() => Int, { description: 'Referrals from one IP address in a week beyond which new ones are rejected.' }) maxReferralsPerIpPerWeek!: number;
}
