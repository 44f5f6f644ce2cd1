import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum RewardKindEnum {
  FIXED_AMOUNT = 'fixed_amount',
  PERCENTAGE = 'percentage',
  FREE_SHIPPING = 'free_shipping',
  FREE_PRODUCT = 'free_product',
  POINTS_SLIDER = 'points_slider',
}
registerEnumType(RewardKindEnum, { name: 'RewardKind', description: 'What a reward gives: an amount or percentage off, free shipping, a free product, or a points slider (N points = X off, in steps).' });

export enum UsedRewardRefundPolicyEnum {
  KEEP = 'keep',
  RESTORE_POINTS = 'restore_points',
}
registerEnumType(UsedRewardRefundPolicyEnum, { name: 'UsedRewardRefundPolicy', description: 'What a full refund of an order does to a reward code the order used.' });

@ObjectType({ description: 'A points slider: the customer picks 1..maxSteps steps, paying pointsPerStep and getting valueMinorPerStep off per step.' })
@Directive('@shareable')
export class RewardSlider {
  @Field(() => Int) pointsPerStep!: number;
  @Field(() => Int) valueMinorPerStep!: number;
  @Field(() => Int) maxSteps!: number;
}

@ObjectType({ description: 'Which other discount classes an issued code combines with.' })
export class RewardCombinesWith {
  @Field(() => Boolean) order!: boolean;
  @Field(() => Boolean) product!: boolean;
  @Field(() => Boolean) shipping!: boolean;
}

/** Fields both this subgraph and loyalty resolve (loyalty lists rewards to shoppers) are @shareable. */
@ObjectType({ description: 'Something a customer can spend points on; each redemption becomes a single-use Shopify discount code.' })
@Directive('@key(fields: "id")')
export class Reward {
  @Field(() => ID) id!: string;
  @Field(() => String) @Directive('@shareable') name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => RewardKindEnum) @Directive('@shareable') kind!: string;
  @Field(() => Int, { description: 'Points one redemption costs (for a slider: the cost of one step).' }) @Directive('@shareable') pointsCost!: number;
  @Field(() => Int, { nullable: true, description: 'Amount off in minor units of currency (fixed amount; a free product’s price when known).' }) @Directive('@shareable') valueMinor?: number | null;
  @Field(() => String, { description: 'ISO 4217 code of the shop currency.' }) @Directive('@shareable') currency!: string;
  @Field(() => Int, { nullable: true, description: 'Percentage off in basis points (10000 = 100 %).' }) @Directive('@shareable') percentageBp?: number | null;
  @Field(() => Int, { nullable: true, description: 'Minimum order subtotal, minor units.' }) @Directive('@shareable') minOrderMinor?: number | null;
  @Field(() => Boolean) @Directive('@shareable') enabled!: boolean;
  @Field(() => RewardSlider, { nullable: true }) @Directive('@shareable') slider?: RewardSlider | null;
  @Field(() => String, { nullable: true, description: 'Free product: the Shopify product variant given away.' }) productVariantId?: string | null;
  @Field(() => Int, { nullable: true, description: 'Days an issued code stays valid; null: it does not expire.' }) codeExpiryDays?: number | null;
  @Field(() => Int, { nullable: true, description: 'Redemptions one customer may make; null: unlimited.' }) perCustomerLimit?: number | null;
  @Field(() => RewardCombinesWith) combinesWith!: RewardCombinesWith;
  @Field(() => Int) sortOrder!: number;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType({ description: 'Merchant-wide redemption rules.' })
export class RewardSettings {
  @Field(() => UsedRewardRefundPolicyEnum, { description: 'KEEP: points spent on a code stay spent when its order is fully refunded; RESTORE_POINTS: they come back.' })
  usedRewardOnFullRefund!: string;
}
