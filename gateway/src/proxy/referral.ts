import type { Shopify } from '@shopify/shopify-api';
import type { Express, Request, Response } from 'express';
import { recordReferralLanding } from '@herethere/loyalty';
import type { Deps } from '@herethere/runtime';
import type { MerchantDirectory } from '../auth/merchants';
import { verifyAppProxy } from './verify';

export const REFERRAL_COOKIE = 'ht_ref';
const COOKIE_MAX_AGE_S = 30 * 86_400;

function cookieValue(req: Request, name: string): string | null {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

/** The shopper's address: Shopify's app proxy forwards it in X-Forwarded-For; direct hits use the socket. */
function clientIp(req: Request): string | null {
  const forwarded = String(req.headers['x-forwarded-for'] ?? '').split(',')[0]?.trim();
  const ip = forwarded || req.ip || req.socket.remoteAddress || '';
  return ip ? ip.replace(/^::ffff:/, '').slice(0, 64) : null;
}

/**
 * GET /proxy/r/:code — a friend following a referral link (storefront /apps/loyalty/r/<code>,
 * forwarded and signed by Shopify's app proxy). Records the attribution (a pending referral with
 * the landing IP, and the click), sets the attribution cookie, and redirects to the shop through
 * /discount/<friend code> so the welcome discount is applied, landing on the home page with
 * `ht_ref=<code>:<referral>` for the storefront script to put in the cart attribute
 * `herethere_referral` (which the order carries back to us).
 */
export function referralLandingHandler(deps: Deps, shopify: Shopify, directory: MerchantDirectory) {
  return async (req: Request, res: Response) => {
    const proxied = await verifyAppProxy(req, res, shopify, directory);
    if (!proxied) return;
    const { shop, merchant } = proxied;

    res.setHeader('Cache-Control', 'no-store');
    const code = String(req.params.code ?? '').trim().toUpperCase();
    const home = `https://${shop}/`;
    if (!/^[0-9A-Z]{4,32}$/.test(code)) return res.redirect(302, home);
    const landing = await recordReferralLanding(deps, { merchantId: merchant.id, code, ip: clientIp(req), referralId: cookieValue(req, REFERRAL_COOKIE) });
    // An unknown code or a paused program still lands the friend in the shop, just without attribution.
    if (!landing) return res.redirect(302, home);
    res.cookie(REFERRAL_COOKIE, landing.referralId, { maxAge: COOKIE_MAX_AGE_S * 1000, httpOnly: true, sameSite: 'lax', secure: deps.config.nodeEnv === 'production', path: '/' });
    const onward = `/?ht_ref=${encodeURIComponent(`${landing.code}:${landing.referralId}`)}`;
    const target = landing.friendDiscountCode
      ? `https://${shop}/discount/${encodeURIComponent(landing.friendDiscountCode)}?redirect=${encodeURIComponent(onward)}`
      : `https://${shop}${onward}`;
    return res.redirect(302, target);
  };
}

/** Registers the referral landing route (one line in app.ts). */
export function registerReferralRoutes(app: Express, deps: Deps, shopify: Shopify, directory: MerchantDirectory): void {
  app.get('/proxy/r/:code', referralLandingHandler(deps, shopify, directory));
}
