import { eq } from 'drizzle-orm';
import { merchants, type Tx } from '@herethere/db';
import { topics, type Deps, type HandlerOutcome, type InboxDelivery } from '@herethere/runtime';

/** app/uninstalled: the shop stops earning and its tokens stop working; data stays until shop/redact. */
export async function handleAppUninstalled(tx: Tx, deps: Deps, d: InboxDelivery): Promise<HandlerOutcome> {
  await tx.update(merchants).set({ status: 'uninstalled', uninstalledAt: new Date(), accessTokenSealed: null, updatedAt: new Date() }).where(eq(merchants.id, d.merchantId));
  return { outcome: `${d.shopDomain} uninstalled; data kept until shop/redact`, after: () => deps.pubsub.publish(topics.merchantChanged, { shop: d.shopDomain }) };
}

interface RawShop {
  name?: unknown;
  currency?: unknown;
  iana_timezone?: unknown;
}

/** shop/update: keep the name, currency and time zone (birthdays and daily jobs use it) current. */
export async function handleShopUpdate(tx: Tx, _deps: Deps, d: InboxDelivery): Promise<HandlerOutcome> {
  const p = d.payload as RawShop;
  const patch: Partial<typeof merchants.$inferInsert> = { updatedAt: new Date() };
  if (typeof p.name === 'string' && p.name.trim()) patch.name = p.name.trim().slice(0, 120);
  if (typeof p.currency === 'string' && /^[A-Z]{3}$/.test(p.currency)) patch.currency = p.currency;
  if (typeof p.iana_timezone === 'string') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: p.iana_timezone });
      patch.timezone = p.iana_timezone;
    } catch {
      // An unknown zone keeps the previous one rather than breaking daily jobs.
    }
  }
  await tx.update(merchants).set(patch).where(eq(merchants.id, d.merchantId));
  return { outcome: `shop details updated (${Object.keys(patch).filter((k) => k !== 'updatedAt').join(', ') || 'nothing changed'})` };
}
