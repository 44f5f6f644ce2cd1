import { eq } from 'drizzle-orm';
import { programSettings, type ReferralSettings } from '@herethere/db';
import type { Context } from '@herethere/runtime';

export const REFERRAL_DEFAULTS: ReferralSettings = {
  enabled: true,
  advocatePoints: 500,
  friendDiscount: { kind: 'percentage', value: 10 },
  completeOn: 'first_order',
  smsEnabled: false,
  emailEnabled: true,
  maxReferralsPerIpPerWeek: 10,
};

/** The stored settings over the defaults (older rows may lack newer keys). */
export async function getReferralSettings(ctx: Context, merchantId: string): Promise<ReferralSettings> {
  const [row] = await ctx.db.db.select({ referral: programSettings.referral }).from(programSettings).where(eq(programSettings.merchantId, merchantId));
  return { ...REFERRAL_DEFAULTS, ...(row?.referral ?? {}) };
}

export async function saveReferralSettings(ctx: Context, merchantId: string, settings: ReferralSettings): Promise<ReferralSettings> {
  await ctx.db.db.update(programSettings).set({ referral: settings, updatedAt: new Date() }).where(eq(programSettings.merchantId, merchantId));
  return settings;
}
