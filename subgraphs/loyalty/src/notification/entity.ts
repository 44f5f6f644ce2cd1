import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType } from '@herethere/runtime';

export enum NotificationStatusEnum {
  PENDING = 'pending',
  SENDING = 'sending',
  SENT = 'sent',
  DEAD = 'dead',
}
registerEnumType(NotificationStatusEnum, { name: 'NotificationStatus', description: 'PENDING: waiting for its (next) attempt; SENDING: a worker holds it; SENT: delivered (or recorded in embedded mode); DEAD: gave up, see lastError.' });

export enum NotificationChannelEnum {
  EMAIL = 'email',
  SMS = 'sms',
  KLAVIYO_EVENT = 'klaviyo_event',
}
registerEnumType(NotificationChannelEnum, { name: 'NotificationChannel' });

@ObjectType({ description: 'One outgoing message in the durable outbox.' })
export class NotificationMessage {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'What it is about, e.g. reward_issued, referral_invite.' }) kind!: string;
  @Field(() => NotificationChannelEnum) channel!: string;
  @Field(() => NotificationStatusEnum) status!: string;
  @Field(() => Int) attempts!: number;
  @Field(() => String, { nullable: true, description: 'The last failure, as the provider described it.' }) lastError?: string | null;
  @Field(() => String, { nullable: true, description: 'klaviyo, twilio or dev (recorded, not sent).' }) provider?: string | null;
  @Field(() => Date) nextAttemptAt!: Date;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) sentAt?: Date | null;
  @Field(() => Date, { nullable: true }) deadAt?: Date | null;
}

export const NotificationMessageConnection = ConnectionType(NotificationMessage, 'NotificationMessage');
