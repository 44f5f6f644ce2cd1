import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '@herethere/runtime';

/** Same values as merchant-config's RewardKind (composition requires enums to agree). */
export enum RewardKindEnum {
  FIXED_AMOUNT = 'fixed_amount',
  PERCENTAGE = 'percentage',
  FREE_SHIPPING = 'free_shipping',
  FREE_PRODUCT = 'free_product',
  POINTS_SLIDER = 'points_slider',
}
registerEnumType(RewardKindEnum, { name: 'RewardKind', description: 'What a reward gives: an amount or percentage off, free shipping, a free product, or a points slider (N points = X off, in steps).' });

export enum RedemptionStatusEnum {
  RESERVED = 'reserved',
  ISSUED = 'issued',
  USED = 'used',
  EXPIRED = 'expired',
  VOIDED = 'voided',
}
registerEnumType(RedemptionStatusEnum, {
  name: 'RedemptionStatus',
  description: 'RESERVED: points held while the code is created; ISSUED: the code works; USED: an order applied it; EXPIRED: it ran out; VOIDED: it was never issued (or was undone) and the points came back.',
});

@ObjectType({ description: 'A points slider: the customer picks 1..maxSteps steps, paying pointsPerStep and getting valueMinorPerStep off per step.' })
@Directive('@shareable')
export class RewardSlider {
  @Field(() => Int) pointsPerStep!: number;
  @Field(() => Int) valueMinorPerStep!: number;
  @Field(() => Int) maxSteps!: number;
}

/** merchant-config owns the catalogue; loyalty resolves the shopper-facing fields itself and adds `affordable`. */
@ObjectType({ description: 'Something a customer can spend points on; each redemption becomes a single-use Shopify discount code.' })
@Directive('@key(fields: "id")')
export class Reward {
  @Field(() => ID) id!: string;
  @Field(() => String) @Directive('@shareable') name!: string;
  @Field(() => RewardKindEnum) @Directive('@shareable') kind!: string;
  @Field(() => Int, { description: 'Points one redemption costs (for a slider: the cost of one step).' }) @Directive('@shareable') pointsCost!: number;
  @Field(() => Int, { nullable: true, description: 'Amount off in minor units of currency (fixed amount; a free product’s price when known).' }) @Directive('@shareable') valueMinor?: number | null;
  @Field(() => String, { description: 'ISO 4217 code of the shop currency.' }) @Directive('@shareable') currency!: string;
  @Field(() => Int, { nullable: true, description: 'Percentage off in basis points (10000 = 100 %).' }) @Directive('@shareable') percentageBp?: number | null;
  @Field(() => Int, { nullable: true, description: 'Minimum order subtotal, minor units.' }) @Directive('@shareable') minOrderMinor?: number | null;
  @Field(() => Boolean) @Directive('@shareable') enabled!: boolean;
  @Field(() => RewardSlider, { nullable: true }) @Directive('@shareable') slider?: RewardSlider | null;
  @Field(() => Boolean, { nullable: true, description: 'For a signed-in customer: whether their balance covers it (one step of a slider). Null for anyone else.' })
  affordable?: boolean | null;
}

@ObjectType({ description: 'One spend of points on a reward, and the discount code it produced.' })
export class Redemption {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'The single-use discount code; null until issued.' }) code?: string | null;
  @Field(() => RedemptionStatusEnum) status!: string;
  @Field(() => Int) pointsSpent!: number;
  @Field(() => Int, { description: 'Value in minor units (0 for percentage and free shipping rewards).' }) valueMinor!: number;
  @Field(() => String) currency!: string;
  @Field(() => Int, { nullable: true, description: 'Points slider: the steps chosen.' }) steps?: number | null;
  @Field(() => Date, { nullable: true }) expiresAt?: Date | null;
  @Field(() => Date, { nullable: true }) usedAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'The Shopify order that used the code.' }) usedOrderId?: string | null;
  @Field(() => String, { nullable: true, description: 'Why it was voided.' }) voidedReason?: string | null;
  @Field(() => Date) createdAt!: Date;
}

export const RedemptionConnection = ConnectionType(Redemption, 'Redemption');
