import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local stand-in for Klaviyo's Events API: POST /api/events with
 * `Authorization: Klaviyo-API-Key <private key>`, a `revision` date header and a JSON:API body
 * (`data.type = event`, a metric by name, a profile identified by email, phone_number or
 * external_id). Accepts with 202 and an empty body; refuses with JSON:API error objects. Events
 * with a unique_id already seen are accepted but not stored twice, as Klaviyo deduplicates them.
 */

export type KlaviyoFault = { kind: 'http429'; retryAfterSeconds?: number } | { kind: 'server_error'; status?: number } | { kind: 'hang' };

export interface KlaviyoEvent {
  metric: string;
  uniqueId: string | null;
  profile: Record<string, unknown>;
  properties: Record<string, unknown>;
  time: string | null;
  apiKey: string;
  revision: string;
}

export interface FakeKlaviyo {
  url: string;
  /** Distinct events stored (deduplicated by unique_id). */
  events: KlaviyoEvent[];
  /** Every request that reached the API, accepted or not. */
  received: { status: number; uniqueId: string | null; error?: string }[];
  acceptKey(key: string): void;
  failNext(fault: KlaviyoFault, times?: number): void;
  close(): Promise<void>;
}

const REVISION = /^\d{4}-\d{2}-\d{2}(\.pre)?$/;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function startFakeKlaviyo(): Promise<FakeKlaviyo> {
  const keys = new Set<string>();
  const events: KlaviyoEvent[] = [];
  const seen = new Set<string>();
  const received: FakeKlaviyo['received'] = [];
  const faults: KlaviyoFault[] = [];
  const hanging = new Set<ServerResponse>();
  const sockets = new Set<Socket>();

  const error = (res: ServerResponse, status: number, code: string, title: string, detail: string, pointer?: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/vnd.api+json', ...headers });
    res.end(JSON.stringify({ errors: [{ id: `err-${Date.now()}`, status, code, title, detail, ...(pointer ? { source: { pointer } } : {}) }] }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const fail = (status: number, code: string, title: string, detail: string, pointer?: string, uniqueId: string | null = null) => {
      received.push({ status, uniqueId, error: detail });
      error(res, status, code, title, detail, pointer);
    };
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname.replace(/\/$/, '') !== '/api/events') return fail(404, 'not_found', 'Not found.', `No route for ${req.method} ${req.url}`);
    const auth = String(req.headers.authorization ?? '');
    const key = auth.startsWith('Klaviyo-API-Key ') ? auth.slice('Klaviyo-API-Key '.length) : '';
    if (!keys.has(key)) return fail(401, 'not_authenticated', 'Authentication credentials were not provided.', 'Missing or invalid private key.');
    const revision = String(req.headers.revision ?? '');
    if (!REVISION.test(revision)) return fail(400, 'invalid', 'Invalid input.', 'A valid revision header (YYYY-MM-DD) is required.');
    if (!String(req.headers['content-type'] ?? '').includes('application/vnd.api+json')) return fail(415, 'unsupported_media_type', 'Unsupported media type.', 'Content-Type must be application/vnd.api+json');
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return fail(400, 'parse_error', 'Malformed request.', 'JSON parse error');
    }
    const data = isObj(body) ? body.data : undefined;
    if (!isObj(data) || data.type !== 'event' || !isObj(data.attributes)) return fail(400, 'invalid', 'Invalid input.', 'data.type must be "event" with attributes', '/data');
    const a = data.attributes;
    const uniqueId = typeof a.unique_id === 'string' ? a.unique_id : null;
    const metric = isObj(a.metric) && isObj(a.metric.data) && a.metric.data.type === 'metric' && isObj(a.metric.data.attributes) ? a.metric.data.attributes.name : undefined;
    if (typeof metric !== 'string' || !metric) return fail(400, 'invalid', 'Invalid input.', 'metric.data.attributes.name is required', '/data/attributes/metric', uniqueId);
    const profile = isObj(a.profile) && isObj(a.profile.data) && a.profile.data.type === 'profile' && isObj(a.profile.data.attributes) ? a.profile.data.attributes : undefined;
    if (!profile || !['email', 'phone_number', 'external_id', 'id'].some((k) => typeof profile[k] === 'string' && profile[k])) {
      return fail(400, 'invalid', 'Invalid input.', 'The profile needs an email, phone_number, external_id or id', '/data/attributes/profile', uniqueId);
    }
    if (!isObj(a.properties)) return fail(400, 'invalid', 'Invalid input.', 'properties must be an object', '/data/attributes/properties', uniqueId);
    if (profile.properties !== undefined && !isObj(profile.properties)) return fail(400, 'invalid', 'Invalid input.', 'profile properties must be an object', '/data/attributes/profile/data/attributes/properties', uniqueId);

    const fault = faults.shift();
    if (fault?.kind === 'hang') {
      received.push({ status: 0, uniqueId });
      hanging.add(res);
      return;
    }
    if (fault?.kind === 'http429') {
      received.push({ status: 429, uniqueId });
      return error(res, 429, 'throttled', 'Request was throttled.', 'Request was throttled. Expected available in 1 second.', undefined, { 'retry-after': String(fault.retryAfterSeconds ?? 1) });
    }
    if (fault?.kind === 'server_error') {
      received.push({ status: fault.status ?? 503, uniqueId });
      return error(res, fault.status ?? 503, 'error', 'A server error occurred.', 'Service temporarily unavailable');
    }
    received.push({ status: 202, uniqueId });
    if (!uniqueId || !seen.has(uniqueId)) {
      if (uniqueId) seen.add(uniqueId);
      events.push({ metric, uniqueId, profile, properties: a.properties, time: typeof a.time === 'string' ? a.time : null, apiKey: key, revision });
    }
    res.writeHead(202);
    res.end();
  };

  const server = createServer((req, res) => void handle(req, res));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    events,
    received,
    acceptKey: (k) => void keys.add(k),
    failNext(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    async close() {
      for (const r of hanging) r.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
