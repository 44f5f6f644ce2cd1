import { Arg, Authorized, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { forbidden, topics, type Context } from '@herethere/runtime';
import { loadCustomer } from '../customer/data';
import { VipTierEvent } from './entity';
import type { TierEventPayload } from './recompute';

/** Served by the gateway's graphql-ws schema (see balance/subscription.ts), never in the subgraph SDL. */
@Resolver()
export class TierSubscriptionResolver {
  @Authorized('customer', 'merchant')
  @Subscription(() => VipTierEvent, {
    description: 'The signed-in customer’s tier changes; merchants may follow one of their customers.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const p = ctx.principal;
      if (p.kind === 'customer') {
        if (args.customerId && args.customerId !== p.customerId) throw forbidden('A customer can only follow their own tier');
        return ctx.pubsub.subscribe(topics.customerTier(p.merchantId, p.customerId));
      }
      if (p.kind === 'merchant' && args.customerId) {
        const customer = await loadCustomer(ctx, p.merchantId, args.customerId as string);
        if (!customer) throw forbidden('No such customer in this shop');
        return ctx.pubsub.subscribe(topics.customerTier(p.merchantId, customer.id));
      }
      throw forbidden('customerId is required for merchants');
    },
  })
  vipTierChanged(
    @Root() event: TierEventPayload,
    @Arg('customerId', () => ID, { nullable: true }) _customerId: string | undefined,
    @Ctx() _ctx: Context,
  ): TierEventPayload {
    return event;
  }
}
