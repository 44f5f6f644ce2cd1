/**
 * What the theme app embed tells the widget about the storefront. The customer is only "logged in
 * or not": the widget never learns or sends a customer id; the app proxy vouches for the customer.
 */
export interface ShopContext {
  shop: string;
  loggedIn: boolean;
  locale: string;
  /** App proxy path on the storefront, e.g. /apps/loyalty. */
  proxyPath: string;
  /** Base URL of the loyalty API (GraphQL over HTTP and WebSocket). */
  apiUrl: string;
  signInUrl: string;
  joinUrl: string;
}

function httpUrl(value: string | undefined, fallback: string): string {
  if (!value) return fallback;
  try {
    const u = new URL(value, location.href);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href.replace(/\/$/, '') : fallback;
  } catch {
    return fallback;
  }
}

export function readContext(el: HTMLElement): ShopContext {
  const d = el.dataset;
  const proxy = (d.proxyPath || '/apps/loyalty').replace(/\/$/, '');
  return {
    shop: d.shop ?? '',
    loggedIn: d.customerLoggedIn === 'true',
    locale: d.locale || document.documentElement.lang || 'en',
    proxyPath: proxy.startsWith('/') ? proxy : `/${proxy}`,
    apiUrl: httpUrl(d.apiUrl, location.origin),
    signInUrl: d.signInUrl || '/account/login',
    joinUrl: d.joinUrl || '/account/register',
  };
}
