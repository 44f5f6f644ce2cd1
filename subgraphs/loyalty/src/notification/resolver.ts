import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { notificationOutbox } from '@herethere/db';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { decodeCursor, pageSize, shopOf, toConnection, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { Customer } from '../customer/entity';
import { loadCustomer, type CustomerRow } from '../customer/data';
import { NotificationMessage, NotificationMessageConnection, NotificationStatusEnum } from './entity';
import type { OutboxRow } from './worker';

@ArgsType()
class NotificationsArgs {
  @Field(() => Int, { nullable: true }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@ArgsType()
class NotificationMessagesArgs extends NotificationsArgs {
  @Field(() => NotificationStatusEnum, { nullable: true }) status?: NotificationStatusEnum;
}

@InputType()
class NotificationRetryInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
class NotificationRetryPayload {
  @Field(() => NotificationMessage, { nullable: true }) notification?: OutboxRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

async function page(ctx: Context, merchantId: string, status: string | undefined, args: NotificationsArgs) {
  const first = pageSize(args.first);
  const after = decodeCursor(args.after);
  const where: SQL[] = [eq(notificationOutbox.merchantId, merchantId)];
  if (status) where.push(eq(notificationOutbox.status, status as OutboxRow['status']));
  if (after) where.push(lt(notificationOutbox.id, after));
  const rows = await ctx.db.db.select().from(notificationOutbox).where(and(...where)).orderBy(desc(notificationOutbox.id)).limit(first + 1);
  return toConnection(rows, first, (r) => r.id, undefined, Boolean(after));
}

@Resolver(() => NotificationMessage)
export class NotificationResolver {
  @Authorized('merchant')
  @Query(() => NotificationMessageConnection, { description: 'Messages that could not be delivered after every retry (or could never be), newest first.' })
  async notificationDeadLetters(@Args(() => NotificationsArgs) args: NotificationsArgs, @Ctx() ctx: Context) {
    return page(ctx, shopOf(ctx, 'merchant').merchantId, 'dead', args);
  }

  @Authorized('merchant')
  @Query(() => NotificationMessageConnection, { description: 'The shop’s outgoing messages, newest first, optionally by status.' })
  async notificationMessages(@Args(() => NotificationMessagesArgs) args: NotificationMessagesArgs, @Ctx() ctx: Context) {
    return page(ctx, shopOf(ctx, 'merchant').merchantId, args.status, args);
  }

  @Authorized('merchant')
  @Mutation(() => NotificationRetryPayload, { description: 'Sends a dead message again (after fixing, say, a provider key or a phone number).' })
  async notificationRetry(@Arg('input', () => NotificationRetryInput) input: NotificationRetryInput, @Ctx() ctx: Context): Promise<NotificationRetryPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const where = and(eq(notificationOutbox.merchantId, merchantId), eq(notificationOutbox.id, input.id));
    const [row] = await ctx.db.db.update(notificationOutbox)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(), deadAt: null, lockedUntil: null })
      .where(and(where, eq(notificationOutbox.status, 'dead')))
      .returning();
    if (row) return { notification: row, userErrors: [] };
    const [existing] = await ctx.db.db.select({ status: notificationOutbox.status }).from(notificationOutbox).where(where);
    if (!existing) return { userErrors: [userError(UserErrorCode.NOT_FOUND, 'No message with that id in this shop', ['input', 'id'])] };
    return { userErrors: [userError(UserErrorCode.CONFLICT, `Only a dead message can be retried; this one is ${existing.status}`, ['input', 'id'])] };
  }

  @FieldResolver(() => Customer, { nullable: true })
  async customer(@Root() row: OutboxRow, @Ctx() ctx: Context): Promise<CustomerRow | null> {
    return row.customerId ? loadCustomer(ctx, row.merchantId, row.customerId) : null;
  }
}
