import { randomFillSync } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';

/**
 * Prefixed, sortable, unguessable IDs: `<prefix>_<10 chars of ms time><16 chars of randomness>`,
 * Crockford base32. Lexical order follows creation time; 80 random bits make them unguessable.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export const ID_PREFIXES = {
  merchant: 'mer',
  customer: 'cus',
  transaction: 'txn',
  reward: 'rwd',
  redemption: 'red',
  referralLink: 'rfl',
  referral: 'ref',
  vipTier: 'tier',
  tierChange: 'tch',
  nudge: 'ndg',
  nudgeEvent: 'nev',
  badge: 'bdg',
  achievement: 'ach',
  emailTemplate: 'tpl',
  emailEvent: 'eev',
  outbox: 'obx',
  segment: 'seg',
  campaign: 'cmp',
  integration: 'int',
  apiLog: 'alg',
  auditLog: 'aud',
  adminUser: 'adm',
  adminSession: 'ses',
  apiKey: 'key',
  importLog: 'imp',
  webhook: 'whk',
  idempotency: 'idm',
  plan: 'plan',
  exportJob: 'exp',
  pending: 'pnd',
  tierGrant: 'tgr',
  campaignAward: 'caw',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

function encodeTime(ms: number): string {
  let out = '';
  let n = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[n % 32] + out;
    n = Math.floor(n / 32);
  }
  return out;
}

// Random bytes are drawn a page at a time: one call into the CSPRNG per 256 ids instead of one per
// id, which showed in the profile of a busy webhook processor (several ids per order).
const pool = Buffer.alloc(4096);
let used = pool.length;

function encodeRandom(length: number): string {
  if (used + length > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[pool[used + i] % 32];
  used += length;
  return out;
}

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${encodeTime(now)}${encodeRandom(16)}`;
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`) && /^[a-z]+_[0-9a-z]{26}$/.test(id);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The same id format minted inside PostgreSQL, for set-based inserts (one id per row): the time
 * part is fixed for the statement, the 16 random characters come from 12 bytes of
 * sha256(gen_random_uuid()) in base64, each base64 digit mapped onto the 32-letter alphabet
 * (every letter twice, so 5 uniform bits per character, 80 bits in all).
 */
export function newIdSql(kind: IdKind, now: number = Date.now()): SQL {
  const head = `${ID_PREFIXES[kind]}_${encodeTime(now)}`;
  return sql`(${head} || translate(encode(substring(sha256(uuid_send(gen_random_uuid())) from 1 for 12), 'base64'), ${BASE64}, ${ALPHABET + ALPHABET}))`;
}
