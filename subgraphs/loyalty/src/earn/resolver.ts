import { and, eq, isNull, lte, or } from 'drizzle-orm';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { customers, merchants } from '@herethere/db';
import { customerOf, describePrincipal, shopOf, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { toLocal } from '@herethere/runtime/zoned-time';
import { Customer } from '../customer/entity';
import { customerByKey, loadCustomer, type CustomerRow } from '../customer/data';
import { invalidateCustomer } from '../customer/cache';
import { PointsTransaction } from '../ledger/entity';
import { post, type LedgerEntry } from '../ledger/post';
import { programOf } from '../order/settings';
import { birthdayProblem, formatCalendarDate, nextBirthdayChange, parseCalendarDate } from './birthday';

export const EARN_POINTS_MAX = 1_000_000;
const REASON_MAX = 200;
const KEY_MAX = 100;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Caller-chosen keys and ids: visible ASCII, no spaces (UUIDs, numeric ids, slugs). */
const TOKEN = /^[\x21-\x7e]+$/;

@InputType({ description: 'Points for a custom action (e.g. following the shop, completing a profile), as the merchant or a developer key with write_points.' })
class PointsEarnInput {
  @Field(() => ID) customerId!: string;
  @Field(() => Int, { description: `1 to ${EARN_POINTS_MAX.toLocaleString('en-US')}.` }) points!: number;
  @Field(() => String, { description: 'Shown in the customer’s history; no personal data. 1 to 200 characters.' }) reason!: string;
  @Field(() => String, { description: 'Your key for this action (1 to 100 visible characters). A retry with the same key returns the same transaction and never credits twice.' }) idempotencyKey!: string;
}

@ObjectType()
class PointsEarnPayload {
  @Field(() => PointsTransaction, { nullable: true }) transaction?: LedgerEntry | null;
  @Field(() => Customer, { nullable: true }) customer?: CustomerRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType({ description: 'A product review was written: award the program’s review points, once per review.' })
class ReviewBonusAwardInput {
  @Field(() => ID) customerId!: string;
  @Field(() => String, { description: 'The review app’s id for the review (1 to 100 visible characters). Each review is rewarded once.' }) reviewId!: string;
}

@ObjectType()
class ReviewBonusAwardPayload {
  @Field(() => PointsTransaction, { nullable: true }) transaction?: LedgerEntry | null;
  @Field(() => Customer, { nullable: true }) customer?: CustomerRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType({ description: 'The signed-in customer’s birthday, for the yearly birthday bonus.' })
class CustomerBirthdaySetInput {
  @Field(() => String, { description: 'YYYY-MM-DD; not in the future, age 13 to 120. It can be changed once a year.' }) birthday!: string;
}

@ObjectType()
class CustomerBirthdaySetPayload {
  @Field(() => Customer, { nullable: true }) customer?: CustomerRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

const invalid = (message: string, ...field: string[]) => userError(UserErrorCode.INVALID, message, ['input', ...field]);
const notFound = () => userError(UserErrorCode.NOT_FOUND, 'No customer with that id in this shop', ['input', 'customerId']);

function tokenProblem(value: string, name: string): UserError | null {
  if (value.length < 1 || value.length > KEY_MAX || !TOKEN.test(value)) return invalid(`${name} must be 1 to ${KEY_MAX} visible characters without spaces`, name);
  return null;
}

/** The shop's customer, unless it does not exist or its data was erased. */
async function activeCustomer(ctx: Context, merchantId: string, customerId: string): Promise<CustomerRow | null> {
  const row = await loadCustomer(ctx, merchantId, customerId);
  return row && row.state !== 'redacted' ? row : null;
}

async function reloadCustomer(ctx: Context, merchantId: string, customerId: string): Promise<CustomerRow | null> {
  customerByKey(ctx).clear(`${merchantId}/${customerId}`);
  return loadCustomer(ctx, merchantId, customerId);
}

@Resolver(() => Customer)
export class EarnResolver {
  @Authorized('merchant', 'developer:write_points')
  @Mutation(() => PointsEarnPayload, { description: 'Credits points for a custom action. Idempotent on the caller’s key.' })
  async pointsEarn(@Arg('input', () => PointsEarnInput) input: PointsEarnInput, @Ctx() ctx: Context): Promise<PointsEarnPayload> {
    const principal = shopOf(ctx, 'merchant', 'developer');
    const { merchantId } = principal;
    const errors: UserError[] = [];
    if (!Number.isInteger(input.points) || input.points < 1 || input.points > EARN_POINTS_MAX) errors.push(invalid(`points must be a whole number from 1 to ${EARN_POINTS_MAX.toLocaleString('en-US')}`, 'points'));
    const reason = input.reason.trim();
    if (reason.length < 1 || reason.length > REASON_MAX || CONTROL.test(reason)) errors.push(invalid(`reason must be 1 to ${REASON_MAX} printable characters`, 'reason'));
    const keyProblem = tokenProblem(input.idempotencyKey, 'idempotencyKey');
    if (keyProblem) errors.push(keyProblem);
    if (errors.length) return { userErrors: errors };

    const program = await programOf(ctx.db.db, merchantId);
    if (!program?.program.enabled) return { userErrors: [userError(UserErrorCode.DISABLED, 'The loyalty program is turned off for this shop', ['input'])] };
    if (!(await activeCustomer(ctx, merchantId, input.customerId))) return { userErrors: [notFound()] };

    const result = await post(ctx, {
      merchantId,
      customerId: input.customerId,
      type: 'custom',
      points: input.points,
      reason,
      source: principal.kind === 'developer' ? 'api' : 'admin',
      idempotencyKey: `earn:${input.idempotencyKey}`,
      actor: describePrincipal(principal),
    });
    switch (result.status) {
      case 'customer_not_found':
        return { userErrors: [notFound()] };
      case 'insufficient_points':
        return { userErrors: [invalid('points must be positive', 'points')] };
      case 'duplicate':
        if (result.entry.customerId !== input.customerId || result.entry.points !== input.points || result.entry.type !== 'custom') {
          return { userErrors: [userError(UserErrorCode.CONFLICT, 'idempotencyKey was already used for a different customer or amount', ['input', 'idempotencyKey'])] };
        }
        return { transaction: result.entry, customer: await reloadCustomer(ctx, merchantId, input.customerId), userErrors: [] };
      default:
        return { transaction: result.entry, customer: await reloadCustomer(ctx, merchantId, input.customerId), userErrors: [] };
    }
  }

  @Authorized('merchant', 'developer:write_reviews')
  @Mutation(() => ReviewBonusAwardPayload, { description: 'Awards the program’s review points for a review; each review id is rewarded once.' })
  async reviewBonusAward(@Arg('input', () => ReviewBonusAwardInput) input: ReviewBonusAwardInput, @Ctx() ctx: Context): Promise<ReviewBonusAwardPayload> {
    const principal = shopOf(ctx, 'merchant', 'developer');
    const { merchantId } = principal;
    const problem = tokenProblem(input.reviewId, 'reviewId');
    if (problem) return { userErrors: [problem] };
    const program = await programOf(ctx.db.db, merchantId);
    if (!program?.program.enabled) return { userErrors: [userError(UserErrorCode.DISABLED, 'The loyalty program is turned off for this shop', ['input'])] };
    const points = program.program.earning.reviewPoints ?? 0;
    if (!(points > 0)) return { userErrors: [userError(UserErrorCode.DISABLED, 'This shop gives no points for reviews (reviewPoints is 0)', ['input'])] };
    if (!(await activeCustomer(ctx, merchantId, input.customerId))) return { userErrors: [notFound()] };

    const result = await post(ctx, {
      merchantId,
      customerId: input.customerId,
      type: 'review',
      points,
      reason: 'Wrote a product review',
      source: principal.kind === 'developer' ? 'api' : 'admin',
      idempotencyKey: `review:${input.reviewId}`,
      actor: describePrincipal(principal),
      metadata: { reviewId: input.reviewId },
    });
    switch (result.status) {
      case 'customer_not_found':
        return { userErrors: [notFound()] };
      case 'insufficient_points':
        return { userErrors: [invalid('reviewPoints must be positive')] };
      case 'duplicate':
        if (result.entry.customerId !== input.customerId) {
          return { userErrors: [userError(UserErrorCode.CONFLICT, 'This review was already rewarded to another customer', ['input', 'reviewId'])] };
        }
        return { transaction: result.entry, customer: await reloadCustomer(ctx, merchantId, input.customerId), userErrors: [] };
      default:
        return { transaction: result.entry, customer: await reloadCustomer(ctx, merchantId, input.customerId), userErrors: [] };
    }
  }

  @Authorized('customer')
  @Mutation(() => CustomerBirthdaySetPayload, { description: 'Sets the signed-in customer’s birthday (once a year) for the birthday bonus.' })
  async customerBirthdaySet(@Arg('input', () => CustomerBirthdaySetInput) input: CustomerBirthdaySetInput, @Ctx() ctx: Context): Promise<CustomerBirthdaySetPayload> {
    const { merchantId, customerId } = customerOf(ctx);
    const now = new Date();
    const [merchant] = await ctx.db.db.select({ timezone: merchants.timezone }).from(merchants).where(eq(merchants.id, merchantId));
    const local = toLocal(now, merchant?.timezone ?? 'UTC');
    const text = input.birthday.trim();
    const problem = birthdayProblem(text, { year: local.year, month: local.month, day: local.day });
    if (problem) return { customer: null, userErrors: [invalid(problem.message, problem.field)] };
    const birthday = formatCalendarDate(parseCalendarDate(text)!);

    const current = await activeCustomer(ctx, merchantId, customerId);
    if (!current) return { customer: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'Your loyalty account was not found', ['input'])] };
    if (current.birthday === birthday) return { customer: current, userErrors: [] };
    const limited = (setAt: Date) =>
      userError(UserErrorCode.LIMIT_REACHED, `Your birthday can be changed once a year; you can change it again from ${nextBirthdayChange(setAt).toISOString().slice(0, 10)}`, ['input', 'birthday']);
    if (current.birthdaySetAt && nextBirthdayChange(current.birthdaySetAt) > now) return { customer: null, userErrors: [limited(current.birthdaySetAt)] };

    // The condition is re-checked by the update itself, so two concurrent changes cannot both win.
    const yearAgo = new Date(now.getTime());
    yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
    const updated = await ctx.db.db
      .update(customers)
      .set({ birthday, birthdaySetAt: now, updatedAt: now })
      .where(and(eq(customers.merchantId, merchantId), eq(customers.id, customerId), or(isNull(customers.birthdaySetAt), lte(customers.birthdaySetAt, yearAgo))))
      .returning({ id: customers.id });
    if (!updated.length) {
      const fresh = await reloadCustomer(ctx, merchantId, customerId);
      return { customer: null, userErrors: [limited(fresh?.birthdaySetAt ?? now)] };
    }
    await invalidateCustomer(ctx, merchantId, customerId);
    return { customer: await reloadCustomer(ctx, merchantId, customerId), userErrors: [] };
  }

  @FieldResolver(() => String, { nullable: true, description: 'YYYY-MM-DD, when the customer has told us (used for the birthday bonus).' })
  birthday(@Root() customer: CustomerRow): string | null {
    return customer.birthday ?? null;
  }
}
