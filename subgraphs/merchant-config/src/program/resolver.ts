import { Arg, Authorized, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { shopOf, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { ProgramSettings, ProgramSettingsUpdateInput } from './entity';
import { programSettingsFor, updateProgramSettings, type ProgramSettingsRow } from './data';
import { applySettingsPatch } from './validate';

@ObjectType()
class ProgramSettingsUpdatePayload {
  @Field(() => ProgramSettings, { nullable: true }) programSettings?: ProgramSettingsRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@Resolver(() => ProgramSettings)
export class ProgramSettingsResolver {
  @Authorized('merchant', 'developer')
  @Query(() => ProgramSettings, { nullable: true, description: 'The shop’s loyalty program rules: earning, expiry, points names.' })
  async programSettings(@Ctx() ctx: Context): Promise<ProgramSettingsRow | null> {
    return programSettingsFor(ctx, shopOf(ctx, 'merchant', 'developer').merchantId);
  }

  @Authorized('merchant')
  @Mutation(() => ProgramSettingsUpdatePayload, {
    description: 'Changes earning rules, the expiry policy, the points names or whether the program runs. Every field is checked; on any error nothing is written.',
  })
  async programSettingsUpdate(@Arg('input', () => ProgramSettingsUpdateInput) input: ProgramSettingsUpdateInput, @Ctx() ctx: Context): Promise<ProgramSettingsUpdatePayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const outcome = await updateProgramSettings(ctx, merchantId, (current) => applySettingsPatch(current, input));
    switch (outcome.status) {
      case 'not_found':
        return { programSettings: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'This shop has no program settings yet; reinstall the app', ['input'])] };
      case 'invalid':
        return { programSettings: null, userErrors: outcome.errors };
      default:
        return { programSettings: outcome.row, userErrors: [] };
    }
  }
}
