import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local stand-in for Twilio's Messages API: POST /2010-04-01/Accounts/{AccountSid}/Messages.json
 * with HTTP basic auth (AccountSid:AuthToken) and a form-encoded body (To, From or
 * MessagingServiceSid, Body). 201 returns the message resource; errors carry Twilio's numeric
 * codes: 20003 bad credentials, 21211 invalid 'To' number (Twilio's magic +15005550001 and any
 * non-E.164 value), 21602 missing body, 21604 missing To, 20429 too many requests.
 */

export type TwilioFault = { kind: 'http429'; retryAfterSeconds?: number } | { kind: 'server_error'; status?: number };

export interface TwilioMessage {
  sid: string;
  to: string;
  from: string;
  body: string;
}

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  from: string;
  messages: TwilioMessage[];
  received: { status: number; to: string | null; code?: number }[];
  failNext(fault: TwilioFault, times?: number): void;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{7,14}$/;
/** Twilio's documented test number that is "not a valid phone number". */
export const TWILIO_INVALID_NUMBER = '+15005550001';

export async function startFakeTwilio(): Promise<FakeTwilio> {
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const from = '+15005550006';
  const messages: TwilioMessage[] = [];
  const received: FakeTwilio['received'] = [];
  const faults: TwilioFault[] = [];
  const sockets = new Set<Socket>();

  const twilioError = (res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (req.method !== 'POST' || !m) {
      received.push({ status: 404, to: null, code: 20404 });
      return twilioError(res, 404, 20404, `The requested resource ${path} was not found`);
    }
    const auth = String(req.headers.authorization ?? '');
    const [user, pass] = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':') : [];
    if (user !== accountSid || pass !== authToken || decodeURIComponent(m[1]) !== accountSid) {
      received.push({ status: 401, to: null, code: 20003 });
      return twilioError(res, 401, 20003, 'Authenticate');
    }
    if (!String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      received.push({ status: 400, to: null, code: 20001 });
      return twilioError(res, 400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const to = form.get('To');
    const sender = form.get('From') ?? form.get('MessagingServiceSid');
    const body = form.get('Body');
    const reject = (status: number, code: number, message: string) => {
      received.push({ status, to, code });
      twilioError(res, status, code, message);
    };
    if (!to) return reject(400, 21604, "A 'To' phone number is required.");
    if (!sender) return reject(400, 21603, "A 'From' phone number is required.");
    if (form.get('From') && form.get('From') !== from) return reject(400, 21606, `The 'From' phone number provided (${form.get('From')}) is not a valid message-capable Twilio phone number for this destination/account`);
    if (!body) return reject(400, 21602, 'Message body is required.');
    if (!E164.test(to) || to === TWILIO_INVALID_NUMBER) return reject(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    const fault = faults.shift();
    if (fault?.kind === 'http429') {
      received.push({ status: 429, to, code: 20429 });
      return twilioError(res, 429, 20429, 'Too Many Requests', { 'retry-after': String(fault.retryAfterSeconds ?? 1) });
    }
    if (fault?.kind === 'server_error') {
      received.push({ status: fault.status ?? 500, to, code: 20500 });
      return twilioError(res, fault.status ?? 500, 20500, 'An internal server error has occurred');
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    messages.push({ sid, to, from: sender, body });
    received.push({ status: 201, to });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ sid, account_sid: accountSid, to, from: sender, body, status: 'queued', num_segments: '1', direction: 'outbound-api', api_version: '2010-04-01', date_created: new Date().toUTCString(), error_code: null, error_message: null, uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json` }));
  };

  const server = createServer((req, res) => void handle(req, res));
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accountSid,
    authToken,
    from,
    messages,
    received,
    failNext(fault, times = 1) {
      for (let i = 0; i < times; i++) faults.push(fault);
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
