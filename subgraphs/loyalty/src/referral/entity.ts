import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '@herethere/runtime';

export enum ReferralStatusEnum {
  PENDING = 'pending',
  COMPLETED = 'completed',
  REJECTED = 'rejected',
}
registerEnumType(ReferralStatusEnum, { name: 'ReferralStatus' });

export enum ShareChannelEnum {
  EMAIL = 'EMAIL',
  SMS = 'SMS',
}
registerEnumType(ShareChannelEnum, { name: 'ShareChannel' });

@ObjectType({ description: 'An advocate’s shareable referral link.' })
export class ReferralLink {
  @Field(() => String, { description: 'The unguessable code in the link.' }) code!: string;
  @Field(() => String, { description: 'The link to share: the shop’s storefront, through the app proxy.' }) url!: string;
  @Field(() => Int, { description: 'How many times the link was followed.' }) clicks!: number;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ description: 'One rule of the referral fraud check.' })
export class ReferralCheck {
  @Field(() => String, { description: 'self_referral_customer, self_referral_email, self_referral_phone, self_referral_address, ip_rate, existing_customer, already_referred.' }) name!: string;
  @Field(() => Boolean) passed!: boolean;
  @Field(() => String, { nullable: true, description: 'Why it failed.' }) detail?: string | null;
}

@ObjectType({ description: 'The stored outcome of the fraud check, with every rule and its explanation.' })
export class ReferralDecisionView {
  @Field(() => String, { description: 'approve or reject.' }) outcome!: string;
  @Field(() => [ReferralCheck]) checks!: ReferralCheck[];
  @Field(() => String) decidedAt!: string;
}

@ObjectType('Referral', { description: 'A friend who arrived through a referral link, from landing to decision.' })
export class Referral {
  @Field(() => ID) id!: string;
  @Field(() => ReferralStatusEnum) status!: string;
  @Field(() => String, { nullable: true, description: 'Why it was rejected (the first rule that failed).' }) rejectedReason?: string | null;
  @Field(() => ReferralDecisionView, { nullable: true }) decision?: ReferralDecisionView | null;
  @Field(() => String, { nullable: true, description: 'order, signup or merchant.' }) completedVia?: string | null;
  @Field(() => String, { nullable: true, description: 'Who approved it after a rejection.' }) approvedBy?: string | null;
  @Field(() => String, { nullable: true, description: 'The friend’s qualifying Shopify order.' }) orderId?: string | null;
  @Field(() => String, { nullable: true }) landingIp?: string | null;
  @Field(() => Date, { nullable: true }) completedAt?: Date | null;
  @Field(() => Date) createdAt!: Date;
}

export const ReferralConnection = ConnectionType(Referral, 'Referral');
