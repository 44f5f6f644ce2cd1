import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '@herethere/runtime';
import { Customer, RfmScore } from './entity';
import { rfmByCustomer } from './data';

@Resolver(() => Customer)
export class CustomerRfmResolver {
  @FieldResolver(() => RfmScore, { nullable: true, description: 'Null until the nightly RFM job has scored the customer.' })
  async rfm(@Root() customer: Customer, @Ctx() ctx: Context) {
    const p = ctx.principal;
    if (!('merchantId' in p) || p.kind === 'visitor') return null;
    if (p.kind === 'customer' && p.customerId !== customer.id) return null;
    return rfmByCustomer(ctx, p.merchantId).load(customer.id);
  }
}

/** References only carry the id; the tenant check happens where the fields are read. */
export const resolveCustomerReference = (ref: { id: string }) => ({ id: ref.id });
