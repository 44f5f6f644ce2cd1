import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root, Authorized } from 'type-graphql';
import { badInput, decodeCursor, pageSize, toConnection, type Connection, type Context } from '@herethere/runtime';
import { AdminMerchant, MerchantConnection, Plan } from './entity';
import { listMerchants, planOf, type MerchantStub, type PlanRow } from './data';

const MAX_SEARCH_LENGTH = 255;

@Resolver(() => AdminMerchant)
export class MerchantResolver {
  @Authorized('admin:viewer')
  @Query(() => MerchantConnection, { description: 'Every merchant on the platform, newest first. `search` matches part of the shop domain or the start of the id.' })
  async merchants(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('search', () => String, { nullable: true }) search?: string,
  ): Promise<Connection<MerchantStub>> {
    const limit = pageSize(first);
    const text = search?.trim();
    if (text && text.length > MAX_SEARCH_LENGTH) throw badInput(`search must be at most ${MAX_SEARCH_LENGTH} characters`, 'search');
    const rows = await listMerchants(ctx, limit, decodeCursor(after), text || undefined);
    return toConnection(rows, limit, (r) => r.id, undefined, Boolean(after));
  }

  /** The plan is platform billing data: only admins and the merchant itself see it. */
  @FieldResolver(() => Plan, { nullable: true })
  async plan(@Root() merchant: MerchantStub, @Ctx() ctx: Context): Promise<PlanRow | null> {
    const p = ctx.principal;
    if (p.kind !== 'admin' && !('merchantId' in p && p.merchantId === merchant.id)) return null;
    return planOf(ctx, merchant);
  }
}

/**
 * Another subgraph pointing at a Merchant: only admins and the merchant's own principals resolve
 * it, so a forged reference reveals nothing (not even existence).
 */
export function resolveMerchantReference(ref: { id: string }, ctx: Context): MerchantStub | null {
  const p = ctx.principal;
  if (p.kind !== 'admin' && !('merchantId' in p && p.merchantId === ref.id)) return null;
  return { id: ref.id };
}
