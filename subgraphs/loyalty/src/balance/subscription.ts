import { Arg, Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver, Root, Subscription, buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker, forbidden, topics, type Context, type LivePubSub } from '@herethere/runtime';
import { loadCustomer } from '../customer/data';
import type { BalanceEventPayload } from '../ledger/post';
import { TierSubscriptionResolver } from '../tier/subscription';

@ObjectType({ description: 'A change to a customer’s points balance, pushed live.' })
export class BalanceEvent {
  @Field(() => ID) customerId!: string;
  @Field(() => Int, { description: 'The balance after the change.' }) balance!: number;
  @Field(() => Int) delta!: number;
  @Field(() => String) entryType!: string;
  @Field(() => String) reason!: string;
  @Field(() => ID) transactionId!: string;
  @Field(() => String) at!: string;
}

/**
 * Subscriptions are served by the gateway process over graphql-ws (the Apollo gateway cannot
 * execute them), so they live in their own small schema, never in the subgraph SDL.
 */
@Resolver()
export class BalanceSubscriptionResolver {
  @Query(() => String, { description: 'Subscription endpoint marker; queries go to POST /graphql.' })
  subscriptionsOnly(): string {
    return 'Use POST /graphql for queries and mutations.';
  }

  @Authorized('customer', 'merchant')
  @Subscription(() => BalanceEvent, {
    description: 'The signed-in customer’s balance changes; merchants may follow one of their customers.',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const p = ctx.principal;
      if (p.kind === 'customer') {
        if (args.customerId && args.customerId !== p.customerId) throw forbidden('A customer can only follow their own balance');
        return ctx.pubsub.subscribe(topics.customerBalance(p.merchantId, p.customerId));
      }
      if (p.kind === 'merchant' && args.customerId) {
        const customer = await loadCustomer(ctx, p.merchantId, args.customerId as string);
        if (!customer) throw forbidden('No such customer in this shop');
        return ctx.pubsub.subscribe(topics.customerBalance(p.merchantId, customer.id));
      }
      throw forbidden('customerId is required for merchants');
    },
  })
  pointsBalanceChanged(
    @Root() event: BalanceEventPayload,
    @Arg('customerId', () => ID, { nullable: true }) _customerId: string | undefined,
    @Ctx() _ctx: Context,
  ): BalanceEventPayload {
    return event;
  }
}

export function buildLoyaltySubscriptionSchema(pubsub: LivePubSub): Promise<GraphQLSchema> {
  // type-graphql's PubSub takes (routingKey, ...args); ours takes one payload per topic.
  const pubSub = { publish: (topic: string, payload: unknown) => void pubsub.publish(topic, payload), subscribe: (topic: string) => pubsub.subscribe(topic) };
  return buildSchema({ resolvers: [BalanceSubscriptionResolver, TierSubscriptionResolver], authChecker, authMode: 'error', validate: false, pubSub });
}
