import { Arg, Authorized, Ctx, Field, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { describePrincipal, shopOf, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { MessagingIntegration, MessagingProviderEnum } from './entity';
import { connectMessaging, disconnectMessaging, listMessaging, toView } from './data';

@InputType()
class KlaviyoIntegrationConnectInput {
  @Field(() => String, { description: 'A Klaviyo private API key (pk_…) with the events:write scope.' }) privateApiKey!: string;
}

@InputType()
class TwilioIntegrationConnectInput {
  @Field(() => String, { description: 'The account SID (AC…).' }) accountSid!: string;
  @Field(() => String, { description: 'The account’s auth token.' }) authToken!: string;
  @Field(() => String, { description: 'The number messages are sent from, in E.164 form (+15551234567).' }) from!: string;
}

@InputType()
class MessagingIntegrationDisconnectInput {
  @Field(() => MessagingProviderEnum) provider!: MessagingProviderEnum;
}

@ObjectType()
class MessagingIntegrationPayload {
  @Field(() => MessagingIntegration, { nullable: true }) integration?: MessagingIntegration | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

const KLAVIYO_PRIVATE_KEY = /^pk_[A-Za-z0-9_]{16,100}$/;
const TWILIO_ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const TWILIO_AUTH_TOKEN = /^[0-9a-fA-F]{32}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const field = (name: string) => ['input', name];

/**
 * The shop's own Klaviyo and Twilio accounts. Messages go through them from the next send on
 * (a sending process rereads credentials per batch); without them, through the platform's
 * accounts when configured, else the recording provider. Secrets are checked for shape here and
 * proved by the first send, whose failure shows on the message (dead letters).
 */
@Resolver(() => MessagingIntegration)
export class MessagingIntegrationResolver {
  @Authorized('merchant')
  @Query(() => [MessagingIntegration], { description: 'The shop’s messaging accounts, connected or not.' })
  async messagingIntegrations(@Ctx() ctx: Context): Promise<MessagingIntegration[]> {
    const rows = await listMessaging(ctx, shopOf(ctx, 'merchant').merchantId);
    return rows.map((r) => toView(ctx, r));
  }

  @Authorized('merchant')
  @Mutation(() => MessagingIntegrationPayload, { description: 'Connects (or replaces) the shop’s Klaviyo account.' })
  async klaviyoIntegrationConnect(@Arg('input', () => KlaviyoIntegrationConnectInput) input: KlaviyoIntegrationConnectInput, @Ctx() ctx: Context): Promise<MessagingIntegrationPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const key = input.privateApiKey.trim();
    if (!KLAVIYO_PRIVATE_KEY.test(key)) {
      return { userErrors: [userError(UserErrorCode.INVALID, 'privateApiKey must be a Klaviyo private API key (pk_…); the 6-character public site key cannot send events', field('privateApiKey'))] };
    }
    const row = await connectMessaging(ctx, merchantId, describePrincipal(ctx.principal), 'klaviyo', key, {});
    return { integration: toView(ctx, row), userErrors: [] };
  }

  @Authorized('merchant')
  @Mutation(() => MessagingIntegrationPayload, { description: 'Connects (or replaces) the shop’s Twilio account for SMS.' })
  async twilioIntegrationConnect(@Arg('input', () => TwilioIntegrationConnectInput) input: TwilioIntegrationConnectInput, @Ctx() ctx: Context): Promise<MessagingIntegrationPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const [accountSid, authToken, from] = [input.accountSid.trim(), input.authToken.trim(), input.from.trim()];
    const errors: UserError[] = [];
    if (!TWILIO_ACCOUNT_SID.test(accountSid)) errors.push(userError(UserErrorCode.INVALID, 'accountSid must be a Twilio account SID: AC and 32 hexadecimal characters', field('accountSid')));
    if (!TWILIO_AUTH_TOKEN.test(authToken)) errors.push(userError(UserErrorCode.INVALID, 'authToken must be the account’s 32-character auth token', field('authToken')));
    if (!E164.test(from)) errors.push(userError(UserErrorCode.INVALID, 'from must be a phone number in E.164 form, such as +15551234567', field('from')));
    if (errors.length) return { userErrors: errors };
    const row = await connectMessaging(ctx, merchantId, describePrincipal(ctx.principal), 'twilio', authToken, { accountSid, from });
    return { integration: toView(ctx, row), userErrors: [] };
  }

  @Authorized('merchant')
  @Mutation(() => MessagingIntegrationPayload, { description: 'Disconnects a messaging account and forgets its secret.' })
  async messagingIntegrationDisconnect(@Arg('input', () => MessagingIntegrationDisconnectInput) input: MessagingIntegrationDisconnectInput, @Ctx() ctx: Context): Promise<MessagingIntegrationPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const row = await disconnectMessaging(ctx, merchantId, describePrincipal(ctx.principal), input.provider as 'klaviyo' | 'twilio');
    if (!row) return { userErrors: [userError(UserErrorCode.NOT_FOUND, `No ${input.provider} account is connected`, field('provider'))] };
    return { integration: toView(ctx, row), userErrors: [] };
  }
}
