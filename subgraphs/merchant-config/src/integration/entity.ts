import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum MessagingProviderEnum {
  KLAVIYO = 'klaviyo',
  TWILIO = 'twilio',
}
registerEnumType(MessagingProviderEnum, { name: 'MessagingProvider', description: 'Where the shop’s messages go: Klaviyo (email and events) or Twilio (SMS).' });

export enum MessagingAccountStatusEnum {
  UNKNOWN = 'unknown',
  OK = 'ok',
  ERROR = 'error',
  DISABLED = 'disabled',
}
registerEnumType(MessagingAccountStatusEnum, { name: 'MessagingAccountStatus', description: 'UNKNOWN until the first send; OK once a message was accepted; ERROR when the provider refused the key or token; DISABLED once disconnected.' });

@ObjectType({ description: 'A messaging account the shop has connected. Secrets are never shown again, only their last characters.' })
export class MessagingIntegration {
  @Field(() => MessagingProviderEnum) provider!: string;
  @Field(() => Boolean, { description: 'False once disconnected: messages fall back to the platform’s account, if any.' }) connected!: boolean;
  @Field(() => MessagingAccountStatusEnum) status!: string;
  @Field(() => String, { nullable: true, description: 'Why the provider refused the account, from the last send that said so.' }) lastError!: string | null;
  @Field(() => String, { description: 'The secret’s last four characters, to tell keys apart.' }) keyHint!: string;
  @Field(() => String, { nullable: true, description: 'Twilio: the account SID.' }) accountSid!: string | null;
  @Field(() => String, { nullable: true, description: 'Twilio: the sending number.' }) from!: string | null;
  @Field(() => Date) updatedAt!: Date;
}
