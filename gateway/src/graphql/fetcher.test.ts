import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphFetcher } from './fetcher';

let server: Server;
let url: string;
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/fail') {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'private, max-age=0' });
      res.end(JSON.stringify({ method: req.method, auth: req.headers['x-test'] ?? null, length: req.headers['content-length'], body }));
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('subgraph fetcher', () => {
  it('sends method, headers and body, and reads status, headers and JSON', async () => {
    const fetcher = createSubgraphFetcher();
    const body = JSON.stringify({ query: '{ __typename }', note: 'é' });
    const res = await fetcher(`${url}/graphql`, { method: 'POST', headers: { 'x-test': 'signed', 'content-type': 'application/json' }, body });
    expect(res.ok).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('private, max-age=0');
    expect(await res.json()).toEqual({ method: 'POST', auth: 'signed', length: String(Buffer.byteLength(body)), body });
    fetcher.destroy();
  });

  it('keeps the connection alive between calls', async () => {
    const fetcher = createSubgraphFetcher();
    const before = connections;
    for (let i = 0; i < 5; i++) await (await fetcher(`${url}/graphql`, { method: 'POST', body: '{}' })).text();
    expect(connections - before).toBe(1);
    fetcher.destroy();
  });

  it('reports an error status without throwing, and a body can be read once', async () => {
    const fetcher = createSubgraphFetcher();
    const res = await fetcher(`${url}/fail`, { method: 'POST', body: '{}' });
    expect(res.ok).toBe(false);
    expect(res.status).toBe(500);
    const copy = res.clone();
    expect(await res.text()).toBe('boom');
    await expect(res.text()).rejects.toThrow();
    expect(await copy.text()).toBe('boom');
    fetcher.destroy();
  });

  it('rejects when the subgraph cannot be reached', async () => {
    const fetcher = createSubgraphFetcher();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetcher(`http://127.0.0.1:${port}/graphql`, { method: 'POST', body: '{}' })).rejects.toThrow();
    fetcher.destroy();
  });
});
