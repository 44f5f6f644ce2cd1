import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ShopContext } from './context';
import { ApiError, Session } from './session';

const ctx: ShopContext = { shop: 'demo-shop.myshopify.com', loggedIn: true, locale: 'en', proxyPath: '/apps/loyalty', apiUrl: 'https://app.example', signInUrl: '/account/login', joinUrl: '/account/register' };

function reply(status: number, body: unknown, date?: Date) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...(date ? { date: date.toUTCString() } : {}) } });
}

let online = true;
let fetchMock: ReturnType<typeof vi.fn>;
const hooks = { onExpired: vi.fn(), onRenewed: vi.fn() };

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-01T12:00:00Z') });
  online = true;
  vi.stubGlobal('navigator', { get onLine() { return online; } });
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
  hooks.onExpired.mockReset();
  hooks.onRenewed.mockReset();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const token = (n: number, ttlMs = 900_000) => ({ kind: 'customer', token: `t${n}`, expiresAt: new Date(Date.now() + ttlMs).toISOString() });

describe('the widget session', () => {
  it('asks the app proxy for a token, sending no customer id, and reuses it while fresh', async () => {
    fetchMock.mockResolvedValueOnce(reply(200, token(1)));
    const s = new Session(ctx, hooks);
    expect(await s.fresh()).toBe('t1');
    expect(await s.fresh()).toBe('t1');
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/apps/loyalty/session');
    expect(init.credentials).toBe('same-origin');
    expect(init.body).toBeUndefined();
    expect(s.kind).toBe('customer');
  });

  it('shares one renewal between concurrent callers', async () => {
    fetchMock.mockResolvedValue(reply(200, token(1)));
    const s = new Session(ctx, hooks);
    expect(await Promise.all([s.fresh(), s.fresh(), s.fresh()])).toEqual(['t1', 't1', 't1']);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('renews before expiry on its own', async () => {
    fetchMock.mockResolvedValueOnce(reply(200, token(1))).mockResolvedValueOnce(reply(200, token(2)));
    const s = new Session(ctx, hooks);
    await s.fresh();
    await vi.advanceTimersByTimeAsync(780_000); // 15 min token, renewed 2 min early
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(s.token).toBe('t2');
    expect(hooks.onExpired).not.toHaveBeenCalled();
  });

  it('says the token expired when it was not renewed in time, then that it is renewed', async () => {
    fetchMock.mockResolvedValueOnce(reply(200, token(1))).mockResolvedValueOnce(reply(200, token(2)));
    const s = new Session(ctx, hooks);
    await s.fresh();
    vi.setSystemTime(Date.now() + 1_000_000); // slept past the expiry; no timer ran
    expect(await s.fresh()).toBe('t2');
    expect(hooks.onExpired).toHaveBeenCalledTimes(1);
    expect(hooks.onRenewed).toHaveBeenCalledTimes(1);
  });

  it('keeps time by the server’s clock, so a wrong device clock does not matter', async () => {
    const serverNow = new Date(Date.now() - 3_600_000); // device clock one hour ahead
    fetchMock.mockResolvedValueOnce(reply(200, { kind: 'visitor', token: 'v1', expiresAt: new Date(serverNow.getTime() + 900_000).toISOString() }, serverNow));
    const s = new Session(ctx, hooks);
    expect(await s.fresh()).toBe('v1');
    expect(s.expiresAt - Date.now()).toBeGreaterThan(890_000);
    expect(await s.fresh()).toBe('v1');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('tells offline, server down and refusals apart', async () => {
    const s = new Session(ctx, hooks);
    online = false;
    await expect(s.fresh()).rejects.toMatchObject({ kind: 'offline' });
    online = true;
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(s.fresh()).rejects.toMatchObject({ kind: 'down' });
    fetchMock.mockResolvedValueOnce(reply(502, { error: 'bad_gateway' }));
    await expect(s.fresh()).rejects.toMatchObject({ kind: 'down' });
    fetchMock.mockResolvedValueOnce(reply(404, { error: 'shop_not_installed' }));
    await expect(s.fresh()).rejects.toMatchObject({ kind: 'error' });
    fetchMock.mockResolvedValueOnce(reply(200, { kind: 'admin', token: 'x', expiresAt: 'soon' }));
    await expect(s.fresh()).rejects.toBeInstanceOf(ApiError);
    expect(s.token).toBeNull();
  });
});

describe('scheduled renewal', () => {
  it('tries again while the current token still works when the proxy is unreachable', async () => {
    fetchMock
      .mockResolvedValueOnce(reply(200, token(1)))
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(reply(200, token(2)));
    const s = new Session(ctx, hooks);
    await s.fresh();
    await vi.advanceTimersByTimeAsync(780_000);
    expect(s.token).toBe('t1');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(s.token).toBe('t2');
    expect(fetchMock).toHaveBeenCalledTimes(3);
    expect(hooks.onExpired).not.toHaveBeenCalled();
  });
});
