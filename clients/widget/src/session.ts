import type { ShopContext } from './context';

/** Why a call did not work, as the shopper should hear it. */
export type Failure = 'offline' | 'down' | 'expired' | 'unsupported' | 'denied' | 'error';

export class ApiError extends Error {
  constructor(readonly kind: Failure, message: string = kind) {
    super(message);
  }
}

export interface SessionHooks {
  /** The token ran out before it could be renewed (the tab slept, the device was offline). */
  onExpired(): void;
  /** A new token arrived after an expiry. */
  onRenewed(): void;
}


/**
 * The widget's short-lived token, from the app proxy (`<proxyPath>/session`). Shopify signs the
 * proxied request with the logged-in customer; the widget sends nothing about who the shopper is.
 * The token is renewed before it expires; times are kept on the local clock, corrected by the
 * server's Date header so a wrong device clock does not matter.
 */
export class Session {
  token: string | null = null;
  kind: 'customer' | 'visitor' | null = null;
  /** Local-clock time the token stops working. */
  expiresAt = 0;
  private inflight: Promise<string> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expired = false;
  /** Renew this long before expiry when a request is about to use the token. */
  private skew = 0;

  constructor(private readonly ctx: ShopContext, private readonly hooks: SessionHooks) {}

  /** A token good for a few more seconds; renews first when needed. */
  async fresh(): Promise<string> {
    if (this.token && Date.now() < this.expiresAt - this.skew) return this.token;
    if (this.token && Date.now() >= this.expiresAt) this.markExpired();
    return this.renew();
  }

  /** Forget a token the server refused. */
  invalidate(): void {
    if (this.token) this.markExpired();
    this.token = null;
  }

  renew(): Promise<string> {
    this.inflight ??= this.fetchSession().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private markExpired() {
    if (this.expired) return;
    this.expired = true;
    this.hooks.onExpired();
  }

  private async fetchSession(): Promise<string> {
    if (!navigator.onLine) throw new ApiError('offline');
    let res: Response;
    try {
      res = await fetch(`${this.ctx.proxyPath}/session`, { credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
    } catch {
      throw new ApiError(navigator.onLine ? 'down' : 'offline');
    }
    if (res.status >= 500 || res.status === 429) throw new ApiError('down');
    if (!res.ok) throw new ApiError('error', `session ${res.status}`);
    let body: { kind?: string; token?: string; expiresAt?: string };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new ApiError('down');
    }
    const serverExpiry = Date.parse(body.expiresAt ?? '');
    if (!body.token || (body.kind !== 'customer' && body.kind !== 'visitor') || Number.isNaN(serverExpiry)) throw new ApiError('error', 'malformed session');
    const serverNow = Date.parse(res.headers.get('date') ?? '');
    const lifetime = serverExpiry - (Number.isNaN(serverNow) ? Date.now() : serverNow);
    this.token = body.token;
    this.kind = body.kind;
    this.expiresAt = Date.now() + Math.max(lifetime, 0);
    this.skew = Math.min(10_000, Math.max(lifetime, 0) * 0.1);
    this.schedule(lifetime);
    if (this.expired) {
      this.expired = false;
      this.hooks.onRenewed();
    }
    return this.token;
  }

  private schedule(lifetime: number) {
    clearTimeout(this.timer);
    const margin = Math.min(120_000, lifetime * 0.25);
    this.timer = setTimeout(() => this.scheduledRenew(), Math.max(lifetime - margin, 1_000));
  }

  private scheduledRenew() {
    // A timer that fires late (a sleeping tab) finds the token expired and says so.
    if (Date.now() >= this.expiresAt) this.markExpired();
    this.renew().catch(() => {
      // Unreachable for now: try again shortly while the current token still works.
      if (this.token && Date.now() < this.expiresAt) this.timer = setTimeout(() => this.scheduledRenew(), Math.min(30_000, Math.max(this.expiresAt - Date.now(), 1_000) / 2));
    });
  }

  /** Re-check after the tab was hidden or the device slept. */
  check(): void {
    if (this.token && Date.now() >= this.expiresAt - this.skew) void this.fresh().catch(() => undefined);
  }
}
