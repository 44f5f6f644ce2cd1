import { and, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import { merchants, notificationOutbox, referrals, referralLinks } from '@herethere/db';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { decodeCursor, describePrincipal, E164, forbidden, pageSize, shopOf, toConnection, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { Customer } from '../customer/entity';
import { loadCustomer, type CustomerRow } from '../customer/data';
import { afterPosted } from '../ledger/post';
import { enqueueNotification } from '../notification/enqueue';
import { Referral, ReferralConnection, ReferralLink, ReferralStatusEnum, ShareChannelEnum } from './entity';
import { normalizeEmail } from './fraud';
import {
  approveReferral, attributeReferral, ensureReferralLink, inviteDedupeKey, referralSettingsOf, referralUrl,
  type ReferralLinkRow, type ReferralRow,
} from './service';

type LinkView = ReferralLinkRow & { code: string; url: string };

async function linkView(ctx: Context, row: ReferralLinkRow): Promise<LinkView> {
  const shop = ctx.principal.kind !== 'anonymous' && 'shop' in ctx.principal ? ctx.principal.shop : (await ctx.db.db.select({ d: merchants.shopDomain }).from(merchants).where(eq(merchants.id, row.merchantId)))[0]?.d;
  return { ...row, code: row.referralCode, url: referralUrl(shop ?? '', row.referralCode) };
}

@InputType({ description: 'Customers create their own link and leave customerId out; a merchant names the customer.' })
class ReferralLinkCreateInput {
  @Field(() => ID, { nullable: true }) customerId?: string | null;
}

@ObjectType()
class ReferralLinkCreatePayload {
  @Field(() => ReferralLink, { nullable: true }) referralLink?: LinkView | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType({ description: 'Send the advocate’s link to a friend by email or SMS.' })
class ReferralShareInput {
  @Field(() => ShareChannelEnum) channel!: ShareChannelEnum;
  @Field(() => String, { description: 'An email address, or a phone number in E.164 (+15551234567).' }) to!: string;
}

@ObjectType()
class ReferralSharePayload {
  @Field(() => ReferralLink, { nullable: true }) referralLink?: LinkView | null;
  @Field(() => Boolean, { description: 'True when the invitation was queued (or had already been sent to this address today).' }) queued!: boolean;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType({ description: 'The storefront hands over the attribution it kept from the referral landing.' })
class ReferralAttributeInput {
  @Field(() => String, { description: 'The referral code, or CODE:ref_… as set by the landing.' }) attribution!: string;
}

@ObjectType()
class ReferralAttributePayload {
  @Field(() => ReferralStatusEnum, { nullable: true }) status?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
class ReferralApproveInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
class ReferralApprovePayload {
  @Field(() => Referral, { nullable: true }) referral?: ReferralRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ArgsType()
class ReferralsArgs {
  @Field(() => Int, { nullable: true }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => ReferralStatusEnum, { nullable: true }) status?: ReferralStatusEnum;
}

const SHARES_PER_DAY = 25;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

@Resolver(() => ReferralLink)
export class ReferralLinkResolver {
  @Authorized('customer', 'merchant')
  @Mutation(() => ReferralLinkCreatePayload, { description: 'The customer’s referral link, created on first call; calling again returns the same link.' })
  async referralLinkCreate(@Arg('input', () => ReferralLinkCreateInput) input: ReferralLinkCreateInput, @Ctx() ctx: Context): Promise<ReferralLinkCreatePayload> {
    const p = shopOf(ctx, 'customer', 'merchant');
    let customerId: string;
    if (p.kind === 'customer') {
      if (input.customerId && input.customerId !== p.customerId) throw forbidden('A customer can only create their own referral link');
      customerId = p.customerId;
    } else {
      if (!input.customerId) return { userErrors: [userError(UserErrorCode.INVALID, 'customerId is required when a merchant creates a link', ['input', 'customerId'])] };
      customerId = input.customerId;
      if (!(await loadCustomer(ctx, p.merchantId, customerId))) return { userErrors: [userError(UserErrorCode.NOT_FOUND, 'No customer with that id in this shop', ['input', 'customerId'])] };
    }
    const settings = await referralSettingsOf(ctx.db.db, p.merchantId);
    if (!settings.enabled) return { userErrors: [userError(UserErrorCode.DISABLED, 'The shop’s referral program is turned off', ['input'])] };
    return { referralLink: await linkView(ctx, await ensureReferralLink(ctx, p.merchantId, customerId)), userErrors: [] };
  }

  @Authorized('customer')
  @Mutation(() => ReferralSharePayload, { description: 'Sends the customer’s referral link to a friend through the shop’s email or SMS provider.' })
  async referralShare(@Arg('input', () => ReferralShareInput) input: ReferralShareInput, @Ctx() ctx: Context): Promise<ReferralSharePayload> {
    const p = shopOf(ctx, 'customer');
    if (p.kind !== 'customer') throw forbidden();
    const settings = await referralSettingsOf(ctx.db.db, p.merchantId);
    const to = input.to.trim();
    const field = ['input', 'to'];
    if (!settings.enabled) return { queued: false, userErrors: [userError(UserErrorCode.DISABLED, 'The shop’s referral program is turned off', ['input'])] };
    if (input.channel === ShareChannelEnum.EMAIL && !settings.emailEnabled) return { queued: false, userErrors: [userError(UserErrorCode.DISABLED, 'This shop does not send referral emails', ['input', 'channel'])] };
    if (input.channel === ShareChannelEnum.SMS && !settings.smsEnabled) return { queued: false, userErrors: [userError(UserErrorCode.DISABLED, 'This shop does not send referral text messages', ['input', 'channel'])] };
    if (input.channel === ShareChannelEnum.EMAIL && (!EMAIL.test(to) || to.length > 254)) return { queued: false, userErrors: [userError(UserErrorCode.INVALID, 'to must be an email address', field)] };
    if (input.channel === ShareChannelEnum.SMS && !E164.test(to)) return { queued: false, userErrors: [userError(UserErrorCode.INVALID, 'to must be a phone number in international format, e.g. +15551234567', field)] };
    const me = await loadCustomer(ctx, p.merchantId, p.customerId);
    if (input.channel === ShareChannelEnum.EMAIL && me?.email && normalizeEmail(me.email) === normalizeEmail(to)) {
      return { queued: false, userErrors: [userError(UserErrorCode.INVALID, 'You cannot refer yourself', field)] };
    }
    if (input.channel === ShareChannelEnum.SMS && me?.phone && me.phone.replace(/\D/g, '').slice(-10) === to.replace(/\D/g, '').slice(-10)) {
      return { queued: false, userErrors: [userError(UserErrorCode.INVALID, 'You cannot refer yourself', field)] };
    }
    const link = await ensureReferralLink(ctx, p.merchantId, p.customerId);
    const view = await linkView(ctx, link);
    const now = new Date();
    const [sent] = await ctx.db.db.select({ n: sql<number>`count(*)::int` }).from(notificationOutbox).where(and(
      eq(notificationOutbox.merchantId, p.merchantId), eq(notificationOutbox.customerId, p.customerId),
      eq(notificationOutbox.kind, 'referral_invite'), gt(notificationOutbox.createdAt, new Date(now.getTime() - 86_400_000)),
    ));
    if ((sent?.n ?? 0) >= SHARES_PER_DAY) return { queued: false, userErrors: [userError(UserErrorCode.LIMIT_REACHED, `At most ${SHARES_PER_DAY} invitations a day`, field)] };
    const offer = settings.friendDiscount.kind === 'percentage' ? `${settings.friendDiscount.value}% off` : 'a discount';
    await ctx.db.db.transaction((tx) => enqueueNotification(tx, {
      merchantId: p.merchantId, customerId: p.customerId, kind: 'referral_invite', channel: input.channel === ShareChannelEnum.EMAIL ? 'email' : 'sms',
      payload: {
        to: input.channel === ShareChannelEnum.EMAIL ? { email: to } : { phone: to },
        advocate: { firstName: me?.firstName ?? '' }, referral: { url: view.url, code: view.code }, friend: { offer },
      },
      dedupeKey: inviteDedupeKey(link.id, to, now),
    }));
    return { referralLink: view, queued: true, userErrors: [] };
  }

  @Authorized('customer')
  @Mutation(() => ReferralAttributePayload, { description: 'Ties the signed-in customer to the referral they arrived through (sign-up completion, or ahead of their first order).' })
  async referralAttribute(@Arg('input', () => ReferralAttributeInput) input: ReferralAttributeInput, @Ctx() ctx: Context): Promise<ReferralAttributePayload> {
    const p = shopOf(ctx, 'customer');
    if (p.kind !== 'customer') throw forbidden();
    const code = input.attribution.trim().split(/[:.]/)[0]?.toUpperCase() ?? '';
    const [link] = await ctx.db.db.select().from(referralLinks).where(and(eq(referralLinks.merchantId, p.merchantId), eq(referralLinks.referralCode, code)));
    if (!link) return { userErrors: [userError(UserErrorCode.NOT_FOUND, 'No such referral code', ['input', 'attribution'])] };
    if (link.advocateCustomerId === p.customerId) return { userErrors: [userError(UserErrorCode.INVALID, 'You cannot use your own referral link', ['input', 'attribution'])] };
    const result = await ctx.db.db.transaction((tx) => attributeReferral(tx, ctx, { merchantId: p.merchantId, customerId: p.customerId, referralCode: input.attribution }));
    for (const e of result.entries) await afterPosted(ctx, e);
    if (!result.referralId) return { status: null, userErrors: [] };
    const [row] = await ctx.db.db.select({ status: referrals.status }).from(referrals).where(and(eq(referrals.merchantId, p.merchantId), eq(referrals.id, result.referralId)));
    return { status: row?.status ?? null, userErrors: [] };
  }
}

@Resolver(() => Customer)
export class CustomerReferralResolver {
  @FieldResolver(() => ReferralLink, { nullable: true, description: 'The customer’s referral link, once created (referralLinkCreate).' })
  async referralLink(@Root() customer: CustomerRow, @Ctx() ctx: Context): Promise<LinkView | null> {
    const [row] = await ctx.db.db.select().from(referralLinks).where(and(eq(referralLinks.merchantId, customer.merchantId), eq(referralLinks.advocateCustomerId, customer.id)));
    return row ? linkView(ctx, row) : null;
  }
}

@Resolver(() => Referral)
export class ReferralResolver {
  @Authorized('merchant')
  @Query(() => ReferralConnection, { description: 'The shop’s referrals, newest first, with each fraud-check decision.' })
  async referrals(@Args(() => ReferralsArgs) args: ReferralsArgs, @Ctx() ctx: Context) {
    const { merchantId } = shopOf(ctx, 'merchant');
    const first = pageSize(args.first);
    const after = decodeCursor(args.after);
    const where: SQL[] = [eq(referrals.merchantId, merchantId)];
    if (args.status) where.push(eq(referrals.status, args.status as ReferralRow['status']));
    if (after) where.push(lt(referrals.id, after));
    const rows = await ctx.db.db.select().from(referrals).where(and(...where)).orderBy(desc(referrals.id)).limit(first + 1);
    return toConnection(rows, first, (r) => r.id, undefined, Boolean(after));
  }

  @Authorized('merchant')
  @Mutation(() => ReferralApprovePayload, { description: 'Overrules a rejected referral: it completes and the advocate is paid.' })
  async referralApprove(@Arg('input', () => ReferralApproveInput) input: ReferralApproveInput, @Ctx() ctx: Context): Promise<ReferralApprovePayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const result = await ctx.db.db.transaction((tx) => approveReferral(tx, ctx, merchantId, input.id, describePrincipal(ctx.principal)));
    if (!result.ok) return { userErrors: [userError(UserErrorCode[result.code], result.message, ['input', 'id'])] };
    for (const e of result.entries) await afterPosted(ctx, e);
    return { referral: result.referral, userErrors: [] };
  }

  @FieldResolver(() => Customer, { description: 'Who shared the link.' })
  async advocate(@Root() r: ReferralRow, @Ctx() ctx: Context): Promise<CustomerRow | null> {
    return loadCustomer(ctx, r.merchantId, r.advocateCustomerId);
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The friend, once known.' })
  async friend(@Root() r: ReferralRow, @Ctx() ctx: Context): Promise<CustomerRow | null> {
    return r.friendCustomerId ? loadCustomer(ctx, r.merchantId, r.friendCustomerId) : null;
  }

  @FieldResolver(() => String, { description: 'The advocate’s referral code.' })
  async code(@Root() r: ReferralRow, @Ctx() ctx: Context): Promise<string> {
    const [l] = await ctx.db.db.select({ code: referralLinks.referralCode }).from(referralLinks).where(and(eq(referralLinks.merchantId, r.merchantId), eq(referralLinks.id, r.referralLinkId)));
    return l?.code ?? '';
  }
}

