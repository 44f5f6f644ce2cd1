import { sql } from 'drizzle-orm';
import { Ctx, Field, FieldResolver, ID, ObjectType, Resolver, Root } from 'type-graphql';
import { forbidden, type Context } from '@herethere/runtime';
import { Customer } from '../customer/entity';
import type { CustomerRow } from '../customer/data';
import { mayReadHistory } from '../history/resolver';

@ObjectType({ description: 'A badge the customer has earned.' })
export class Badge {
  @Field(() => ID, { description: 'The badge definition’s id.' }) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) imageUrl?: string | null;
  @Field(() => Date) awardedAt!: Date;
}

interface BadgeRow {
  customer_id: string;
  id: string;
  name: string;
  description: string | null;
  image_url: string | null;
  awarded_ms: number;
}

/** Per request, the badges of many customers of one shop in one query. */
const badgesOf = (ctx: Context, merchantId: string, customerId: string) =>
  ctx.loader<string, Badge[]>('badges.byCustomer', async (keys) => {
    const byMerchant = new Map<string, string[]>();
    for (const k of keys) {
      const [m, c] = k.split('/');
      byMerchant.set(m, [...(byMerchant.get(m) ?? []), c]);
    }
    const found = new Map<string, Badge[]>();
    for (const [m, ids] of byMerchant) {
      const rows = await ctx.db.rows<BadgeRow>(sql`
        select a.customer_id, b.id, a.badge as name, b.description, b.image_url, (extract(epoch from a.awarded_at) * 1000)::float8 as awarded_ms
        from gamification_achievements a join badge_definitions b on b.merchant_id = a.merchant_id and b.id = a.badge_id
        where a.merchant_id = ${m} and a.customer_id in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})
        order by a.awarded_at, b.id`);
      for (const r of rows) {
        const key = `${m}/${r.customer_id}`;
        found.set(key, [...(found.get(key) ?? []), { id: r.id, name: r.name, description: r.description, imageUrl: r.image_url, awardedAt: new Date(Number(r.awarded_ms)) }]);
      }
    }
    return keys.map((k) => found.get(k) ?? []);
  }).load(`${merchantId}/${customerId}`);

@Resolver(() => Customer)
export class CustomerBadgesResolver {
  @FieldResolver(() => [Badge], { description: 'Badges the customer has earned, oldest first. Visible to the customer and to the shop.' })
  async badges(@Root() customer: CustomerRow, @Ctx() ctx: Context): Promise<Badge[]> {
    if (!mayReadHistory(ctx.principal, customer)) throw forbidden('Not allowed to read this customer’s badges');
    return badgesOf(ctx, customer.merchantId, customer.id);
  }
}
