import { and, asc, eq, sql } from 'drizzle-orm';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { badgeDefinitions, newId, vipTiers, type Tx } from '@herethere/db';
import { shopOf, userError, UserErrorCode, type Context } from '@herethere/runtime';
import { BadgeDefinition, BadgeDefinitionCreateInput, BadgeDefinitionPayload, BadgeDefinitionUpdateInput } from './entity';
import { badgeFieldErrors, badgeRuleErrors, normalizedRule } from './validate';

type BadgeRow = typeof badgeDefinitions.$inferSelect;

const toView = (r: BadgeRow): BadgeDefinition => ({
  id: r.id, key: r.key, name: r.name, description: r.description, imageUrl: r.imageUrl,
  rule: { kind: r.rule.kind, threshold: r.rule.threshold ?? null, tierId: r.rule.tierId ?? null }, enabled: r.enabled, createdAt: r.createdAt,
});

async function tierIdsOf(ctx: Context, merchantId: string): Promise<Set<string>> {
  const rows = await ctx.db.db.select({ id: vipTiers.id }).from(vipTiers).where(eq(vipTiers.merchantId, merchantId));
  return new Set(rows.map((r) => r.id));
}

/** Asks loyalty's worker to award the badge to everyone who already meets its rule. */
async function requestBackfill(ctx: Context, tx: Tx, merchantId: string, badgeId: string): Promise<void> {
  await ctx.db.rows(sql`
    insert into gamification_jobs (merchant_id, kind, requested_at, reason, updated_at)
    values (${merchantId}, 'badge_backfill', clock_timestamp(), ${`badge ${badgeId}`}, now())
    on conflict (merchant_id, kind) do update set requested_at = excluded.requested_at, reason = excluded.reason, updated_at = now()`, tx);
}

const f = (name: string) => ['input', name];

@Resolver(() => BadgeDefinition)
export class BadgeDefinitionResolver {
  @Authorized('merchant', 'developer', 'customer', 'visitor')
  @Query(() => [BadgeDefinition], { description: 'The shop’s badges; shoppers see the enabled ones (to show what can be earned).' })
  async badgeDefinitions(@Ctx() ctx: Context): Promise<BadgeDefinition[]> {
    const p = shopOf(ctx);
    const staff = p.kind === 'merchant' || p.kind === 'developer';
    const rows = await ctx.db.db.select().from(badgeDefinitions)
      .where(and(eq(badgeDefinitions.merchantId, p.merchantId), staff ? undefined : eq(badgeDefinitions.enabled, true)))
      .orderBy(asc(badgeDefinitions.createdAt), asc(badgeDefinitions.id));
    return rows.map(toView);
  }

  @Authorized('merchant')
  @Mutation(() => BadgeDefinitionPayload, { description: 'Adds a badge; customers who already meet its rule receive it shortly after.' })
  async badgeDefinitionCreate(@Arg('input', () => BadgeDefinitionCreateInput) input: BadgeDefinitionCreateInput, @Ctx() ctx: Context): Promise<BadgeDefinitionPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const tiers = await tierIdsOf(ctx, merchantId);
    const errors = [...badgeFieldErrors(input), ...badgeRuleErrors(input.rule, (id) => tiers.has(id))];
    if (errors.length) return { userErrors: errors };
    return ctx.db.db.transaction(async (tx) => {
      const id = newId('badge');
      const [row] = await tx.insert(badgeDefinitions).values({
        merchantId, id, key: input.key, name: input.name.trim(), description: input.description?.trim() || null, imageUrl: input.imageUrl || null,
        rule: normalizedRule(input.rule), enabled: input.enabled ?? true,
      }).onConflictDoNothing().returning();
      if (!row) return { userErrors: [userError(UserErrorCode.TAKEN, `a badge with key "${input.key}" already exists`, f('key'))] };
      if (row.enabled) await requestBackfill(ctx, tx, merchantId, id);
      return { badgeDefinition: toView(row), userErrors: [] };
    });
  }

  @Authorized('merchant')
  @Mutation(() => BadgeDefinitionPayload, { description: 'Changes a badge (enabled: false stops awarding it; earned badges stay).' })
  async badgeDefinitionUpdate(@Arg('input', () => BadgeDefinitionUpdateInput) input: BadgeDefinitionUpdateInput, @Ctx() ctx: Context): Promise<BadgeDefinitionPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const [current] = await ctx.db.db.select().from(badgeDefinitions).where(and(eq(badgeDefinitions.merchantId, merchantId), eq(badgeDefinitions.id, input.id)));
    if (!current) return { userErrors: [userError(UserErrorCode.NOT_FOUND, 'No badge with that id in this shop', f('id'))] };
    const tiers = await tierIdsOf(ctx, merchantId);
    const errors = [...badgeFieldErrors(input), ...(input.rule ? badgeRuleErrors(input.rule, (id) => tiers.has(id)) : [])];
    if (errors.length) return { userErrors: errors };
    return ctx.db.db.transaction(async (tx) => {
      const [row] = await tx.update(badgeDefinitions).set({
        name: input.name?.trim() ?? current.name,
        description: input.description !== undefined ? input.description?.trim() || null : current.description,
        imageUrl: input.imageUrl !== undefined ? input.imageUrl || null : current.imageUrl,
        rule: input.rule ? normalizedRule(input.rule) : current.rule,
        enabled: input.enabled ?? current.enabled,
        updatedAt: new Date(),
      }).where(and(eq(badgeDefinitions.merchantId, merchantId), eq(badgeDefinitions.id, current.id))).returning();
      if (row.enabled && (input.rule || (input.enabled && !current.enabled))) await requestBackfill(ctx, tx, merchantId, row.id);
      return { badgeDefinition: toView(row), userErrors: [] };
    });
  }
}
