import { Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { shopOf, type Context } from '@herethere/runtime';
import { Merchant, ProgramMetrics } from './entity';
import { programMetrics } from './data';

@Resolver(() => Merchant)
export class MetricsResolver {
  @Authorized('merchant', 'developer:read_analytics')
  @Query(() => ProgramMetrics, { description: 'The caller’s program figures.' })
  async programMetrics(@Ctx() ctx: Context) {
    return programMetrics(ctx, shopOf(ctx, 'merchant', 'developer').merchantId);
  }

  @FieldResolver(() => ProgramMetrics, { nullable: true, description: 'Program figures (merchant, read_analytics keys, admins).' })
  async metrics(@Root() merchant: Merchant, @Ctx() ctx: Context) {
    const p = ctx.principal;
    const allowed = p.kind === 'admin' || ((p.kind === 'merchant' || (p.kind === 'developer' && p.scopes.includes('read_analytics'))) && p.merchantId === merchant.id);
    return allowed ? programMetrics(ctx, merchant.id) : null;
  }
}
