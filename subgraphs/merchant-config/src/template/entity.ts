import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { TEMPLATE_VARIABLES } from '@herethere/runtime';

export enum NotificationTemplateTypeEnum {
  REFERRAL = 'referral',
  REFERRAL_COMPLETED = 'referral_completed',
  POINTS_EARNED = 'points_earned',
  REWARD_ISSUED = 'reward_issued',
  TIER_CHANGE = 'tier_change',
  EXPIRY_REMINDER = 'expiry_reminder',
  BADGE_AWARDED = 'badge_awarded',
  CAMPAIGN_STARTED = 'campaign_started',
}
registerEnumType(NotificationTemplateTypeEnum, { name: 'NotificationTemplateType', description: 'Which message a template words. REFERRAL is the invitation an advocate sends a friend.' });

export enum TemplateChannelEnum {
  EMAIL = 'email',
  SMS = 'sms',
}
registerEnumType(TemplateChannelEnum, { name: 'TemplateChannel' });

@ObjectType({ description: 'The merchant’s wording of one message in one language. Placeholders look like {{customer.firstName}}.' })
export class NotificationTemplate {
  @Field(() => ID) id!: string;
  @Field(() => NotificationTemplateTypeEnum) type!: string;
  @Field(() => TemplateChannelEnum) channel!: string;
  @Field(() => String, { description: 'Language code, e.g. en or pt-BR.' }) language!: string;
  @Field(() => String, { nullable: true, description: 'Email only.' }) subject?: string | null;
  @Field(() => String) body!: string;
  @Field(() => Date) updatedAt!: Date;

  @Field(() => [String], { description: 'The placeholders this type of message may use.' })
  get variables(): string[] {
    return [...(TEMPLATE_VARIABLES[this.type] ?? [])];
  }
}
