import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import { describePrincipal, shopOf, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { Customer } from '../customer/entity';
import { customerByKey, loadCustomer, type CustomerRow } from '../customer/data';
import { PointsTransaction } from './entity';
import { LedgerInputError, post, type LedgerEntry } from './post';

@InputType({ description: 'A manual correction or goodwill credit. Debits may take the balance below zero only for corrections.' })
class PointsAdjustInput {
  @Field(() => ID) customerId!: string;
  @Field(() => Int, { description: 'Non-zero; negative to deduct.' }) points!: number;
  @Field(() => String, { description: 'Shown in the customer’s history.' }) reason!: string;
  @Field(() => String, { description: 'Retrying with the same key never adjusts twice.' }) idempotencyKey!: string;
}

@ObjectType()
class PointsAdjustPayload {
  @Field(() => PointsTransaction, { nullable: true }) transaction?: LedgerEntry | null;
  @Field(() => Customer, { nullable: true }) customer?: CustomerRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@Resolver()
export class LedgerResolver {
  @Authorized('merchant')
  @Mutation(() => PointsAdjustPayload, { description: 'Adds or deducts points with a reason, as the merchant.' })
  async pointsAdjust(@Arg('input', () => PointsAdjustInput) input: PointsAdjustInput, @Ctx() ctx: Context): Promise<PointsAdjustPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    try {
      const result = await post(ctx, {
        merchantId,
        customerId: input.customerId,
        type: 'admin_adjust',
        points: input.points,
        reason: input.reason.trim(),
        source: 'admin',
        idempotencyKey: `adjust:${input.idempotencyKey}`,
        actor: describePrincipal(ctx.principal),
      });
      switch (result.status) {
        case 'customer_not_found':
          return { userErrors: [userError(UserErrorCode.NOT_FOUND, 'No customer with that id in this shop', ['input', 'customerId'])] };
        case 'insufficient_points':
          return { userErrors: [userError(UserErrorCode.INSUFFICIENT_POINTS, `Balance is ${result.balance}`, ['input', 'points'])] };
        default: {
          customerByKey(ctx).clear(`${merchantId}/${input.customerId}`);
          return { transaction: result.entry, customer: await loadCustomer(ctx, merchantId, input.customerId), userErrors: [] };
        }
      }
    } catch (err) {
      if (err instanceof LedgerInputError) return { userErrors: [userError(UserErrorCode.INVALID, err.message, ['input'])] };
      throw err;
    }
  }
}
