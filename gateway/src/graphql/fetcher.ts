import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherInit = NonNullable<Parameters<Fetcher>[1]>;
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
type FetcherHeaders = FetcherResponse['headers'];

/**
 * The gateway's HTTP client for subgraph calls: node:http over keep-alive agents.
 *
 * RemoteGraphQLDataSource's default fetcher is make-fetch-happen (npm's registry client). Under
 * load it was the largest single cost in the gateway: a cache layer, a retry wrapper, and
 * agent-base deciding http vs https by building an Error and reading its stack on every request
 * (expensive with source maps on). Subgraph calls need none of that: they are private, never
 * cached, never retried (a retried mutation could run twice), so a plain request over a pooled,
 * kept-alive connection is all there is to do.
 *
 * Idle sockets are dropped after `idleMs`, below the subgraphs' keep-alive timeout (65 s, see
 * runtime/http.ts), so the gateway never writes to a socket the subgraph is closing.
 */
export function createSubgraphFetcher(opts: { idleMs?: number } = {}): Fetcher & { destroy(): void } {
  const agentOptions = { keepAlive: true, timeout: opts.idleMs ?? 30_000, scheduling: 'lifo' as const };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);

  const fetcher = (url: string, init: FetcherInit = {}): Promise<FetcherResponse> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
      const headers: Record<string, string | number> = { ...(init.headers ?? {}) };
      if (body) headers['content-length'] = body.length;
      const req = (secure ? httpsRequest : httpRequest)(target, { method: init.method ?? 'GET', headers, agent: secure ? https : http, signal: init.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('error', reject);
        res.once('end', () => resolve(new BufferedResponse(url, res, Buffer.concat(chunks))));
      });
      req.once('error', reject);
      req.end(body);
    });
  return Object.assign(fetcher, {
    destroy() {
      http.destroy();
      https.destroy();
    },
  });
}

/** A fully read response: the subgraph's answer is small JSON and is parsed whole anyway. */
class BufferedResponse implements FetcherResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly redirected = false;
  readonly headers: ResponseHeaders;
  bodyUsed = false;

  constructor(readonly url: string, res: IncomingMessage, private readonly body: Buffer) {
    this.status = res.statusCode ?? 0;
    this.statusText = res.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new ResponseHeaders(res.headers);
  }

  private consume(): Buffer {
    if (this.bodyUsed) throw new TypeError('Body has already been consumed');
    this.bodyUsed = true;
    return this.body;
  }

  async text(): Promise<string> {
    return this.consume().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.consume();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  clone(): FetcherResponse {
    if (this.bodyUsed) throw new TypeError('Cannot clone a consumed response');
    return Object.assign(Object.create(BufferedResponse.prototype) as BufferedResponse, this, { headers: new ResponseHeaders(this.headers) });
  }
}

/** Response headers by lower-case name (Node has already parsed them; repeated values are joined with ", "). */
class ResponseHeaders implements FetcherHeaders {
  private readonly map = new Map<string, string>();

  constructor(from: IncomingMessage['headers'] | ResponseHeaders) {
    if (from instanceof ResponseHeaders) {
      for (const [k, v] of from) this.map.set(k, v);
      return;
    }
    for (const [name, value] of Object.entries(from)) {
      if (value !== undefined) this.map.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
    }
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), value);
  }
  append(name: string, value: string): void {
    const prev = this.get(name);
    this.set(name, prev === null ? value : `${prev}, ${value}`);
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}
