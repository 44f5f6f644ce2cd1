import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { customerOf, decodeCursor, pageSize, shopOf, toConnection, type Context } from '@herethere/runtime';
import { Customer, CustomerConnection, Merchant } from './entity';
import { countCustomers, listCustomers, loadCustomer, type CustomerRow } from './data';

@ArgsType()
class CustomersArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => String, { nullable: true, description: 'Prefix of an email, first or last name.' }) search?: string;
}

async function customersPage(ctx: Context, merchantId: string, args: CustomersArgs) {
  const first = pageSize(args.first);
  const rows = await listCustomers(ctx, merchantId, { first, after: decodeCursor(args.after), search: args.search });
  return toConnection(rows, first, (r) => r.id, undefined, Boolean(args.after));
}

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized('customer')
  @Query(() => Customer, { description: 'The signed-in shopper.' })
  async me(@Ctx() ctx: Context): Promise<CustomerRow | null> {
    const p = customerOf(ctx);
    return loadCustomer(ctx, p.merchantId, p.customerId);
  }

  @Authorized('merchant', 'developer:read_customers')
  @Query(() => Customer, { nullable: true, description: 'One of the shop’s customers; null when the shop has no such customer.' })
  async customer(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CustomerRow | null> {
    return loadCustomer(ctx, shopOf(ctx, 'merchant', 'developer').merchantId, id);
  }

  @Authorized('merchant', 'developer:read_customers')
  @Query(() => CustomerConnection, { description: 'The shop’s customers, newest first.' })
  async customers(@Args(() => CustomersArgs) args: CustomersArgs, @Ctx() ctx: Context) {
    return customersPage(ctx, shopOf(ctx, 'merchant', 'developer').merchantId, args);
  }
}

@Resolver(() => Merchant)
export class MerchantCustomersResolver {
  @FieldResolver(() => CustomerConnection, { description: 'The shop’s customers (merchant and developer keys with read_customers).' })
  async customers(@Root() merchant: Merchant, @Args(() => CustomersArgs) args: CustomersArgs, @Ctx() ctx: Context) {
    const p = shopOf(ctx, 'merchant', 'developer');
    if (p.merchantId !== merchant.id || (p.kind === 'developer' && !p.scopes.includes('read_customers'))) return toConnection([], 1, () => '');
    return customersPage(ctx, merchant.id, args);
  }

  @FieldResolver(() => Int, { description: 'How many customers have joined the program.' })
  async memberCount(@Root() merchant: Merchant, @Ctx() ctx: Context) {
    const p = shopOf(ctx, 'merchant', 'developer');
    return p.merchantId === merchant.id ? countCustomers(ctx, merchant.id) : 0;
  }
}

/** Entity references are tenant-checked: another shop's customer id resolves to null. */
export async function resolveCustomerReference(ref: { id: string }, ctx: Context): Promise<CustomerRow | null> {
  const p = ctx.principal;
  if (!('merchantId' in p)) return null;
  if (p.kind === 'customer' && p.customerId !== ref.id) return null;
  return loadCustomer(ctx, p.merchantId, ref.id);
}
