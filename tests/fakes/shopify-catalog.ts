import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kind, parse, valueFromASTUntyped, type FieldNode, type OperationDefinitionNode } from 'graphql';

/**
 * A local stand-in for the part of Shopify's Admin GraphQL API that looks catalogue objects up:
 * `nodes(ids: [ID!]!)` answers one entry per id, in order, null where nothing has that id (at most
 * 250 ids); `collection(id: ID!)` answers null for an unknown collection, else its `products`
 * connection (`first` 1 to 250, opaque `after` cursors, `nodes { id }`, `pageInfo`). It holds to the transport contract the real client depends on: POST
 * /admin/api/{version}/graphql.json, the X-Shopify-Access-Token of a registered shop, a JSON body,
 * and a cost extension on every answer. Faults can be queued (5xx, THROTTLED).
 */
export interface FakeShopifyCatalog {
  url: string;
  requests: { shop: string | null; operation: string | null; ids: string[]; status: number }[];
  registerShop(shop: string, accessToken: string, products: number[], collections: number[]): void;
  /** Which products a registered collection holds (in Shopify's order); replaces what it held. */
  setCollectionProducts(shop: string, collection: number, products: number[]): void;
  failNext(kind: 'server_error' | 'throttled', times?: number): void;
  close(): Promise<void>;
}

const PATH = /^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/;

export async function startFakeShopifyCatalog(): Promise<FakeShopifyCatalog> {
  const shops = new Map<string, { shop: string; ids: Map<string, string>; members: Map<string, string[]> }>();
  const requests: FakeShopifyCatalog['requests'] = [];
  const faults: ('server_error' | 'throttled')[] = [];
  const cost = (actual: number | null) => ({ cost: { requestedQueryCost: 2, actualQueryCost: actual, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } } });
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const token = req.headers['x-shopify-access-token'];
    const entry = typeof token === 'string' ? shops.get(token) : undefined;
    const forwarded = req.headers['x-forwarded-host'];
    if (req.method !== 'POST' || !PATH.test(url.pathname)) {
      requests.push({ shop: null, operation: null, ids: [], status: 404 });
      return send(res, 404, { errors: 'Not Found' });
    }
    if (!entry || (typeof forwarded === 'string' && forwarded !== entry.shop)) {
      requests.push({ shop: null, operation: null, ids: [], status: 401 });
      return send(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    if (!String(req.headers['content-type'] ?? '').includes('application/json')) return send(res, 415, { errors: 'Content-Type must be application/json' });
    let body: { query?: unknown; variables?: Record<string, unknown> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { errors: 'Malformed JSON' });
    }
    let field: FieldNode | undefined;
    try {
      const doc = parse(String(body.query ?? ''));
      const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      field = op?.operation === 'query' ? op.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD) : undefined;
    } catch (err) {
      return send(res, 200, { errors: [{ message: (err as Error).message, extensions: { code: 'parseError' } }] });
    }
    const fault = faults.shift();
    if (fault === 'server_error') {
      requests.push({ shop: entry.shop, operation: field?.name.value ?? null, ids: [], status: 503 });
      return send(res, 503, { errors: 'Service Unavailable' });
    }
    if (fault === 'throttled') {
      requests.push({ shop: entry.shop, operation: field?.name.value ?? null, ids: [], status: 200 });
      return send(res, 200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: cost(null) });
    }
    if (field?.name.value === 'collection') return collection(res, entry, field, body.variables ?? {});
    if (!field || field.name.value !== 'nodes') {
      requests.push({ shop: entry.shop, operation: field?.name.value ?? null, ids: [], status: 200 });
      return send(res, 200, { errors: [{ message: `Field '${field?.name.value}' doesn't exist on type 'QueryRoot'`, extensions: { code: 'undefinedField' } }] });
    }
    const arg = field.arguments?.find((a) => a.name.value === 'ids');
    const ids = arg?.value.kind === Kind.VARIABLE ? body.variables?.[arg.value.name.value] : undefined;
    if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string')) {
      return send(res, 200, { errors: [{ message: 'Variable $ids of type [ID!]! was provided invalid value', extensions: { code: 'INVALID_VARIABLE' } }] });
    }
    if (ids.length > 250) return send(res, 200, { errors: [{ message: 'The input array size of 251 is greater than the maximum allowed of 250.', extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' } }] });
    requests.push({ shop: entry.shop, operation: 'nodes', ids: ids as string[], status: 200 });
    const nodes = (ids as string[]).map((id) => (entry.ids.has(id) ? { __typename: entry.ids.get(id), id } : null));
    return send(res, 200, { data: { nodes }, extensions: cost(2) });
  };

  const variable = (field: FieldNode, name: string, variables: Record<string, unknown>): unknown => {
    const arg = field.arguments?.find((a) => a.name.value === name);
    if (!arg) return undefined;
    return arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] : valueFromASTUntyped(arg.value, variables);
  };
  const collection = (res: ServerResponse, entry: { shop: string; ids: Map<string, string>; members: Map<string, string[]> }, field: FieldNode, variables: Record<string, unknown>) => {
    const id = variable(field, 'id', variables);
    if (typeof id !== 'string') return send(res, 200, { errors: [{ message: 'Variable $id of type ID! was provided invalid value', extensions: { code: 'INVALID_VARIABLE' } }] });
    const products = field.selectionSet?.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'products');
    const first = products ? variable(products, 'first', variables) : undefined;
    const after = products ? variable(products, 'after', variables) : undefined;
    if (products && (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > 250)) {
      return send(res, 200, { errors: [{ message: 'you must provide one of first or last, at most 250', extensions: { code: 'BAD_REQUEST' } }] });
    }
    requests.push({ shop: entry.shop, operation: 'collection', ids: [id], status: 200 });
    if (entry.ids.get(id) !== 'Collection') return send(res, 200, { data: { collection: null }, extensions: cost(2) });
    const all = entry.members.get(id) ?? [];
    const start = typeof after === 'string' ? Number(Buffer.from(after, 'base64').toString('utf8').replace(/^cursor:/, '')) : 0;
    const slice = all.slice(start, start + (first as number));
    const end = start + slice.length;
    return send(res, 200, {
      data: { collection: { id, products: { nodes: slice.map((p) => ({ id: p })), pageInfo: { hasNextPage: end < all.length, endCursor: slice.length ? Buffer.from(`cursor:${end}`).toString('base64') : null } } } },
      extensions: cost(2 + slice.length),
    });
  };

  const server = createServer((req, res) => void handle(req, res).catch((err) => send(res, 500, { errors: String(err) })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    registerShop(shop, accessToken, products, collections) {
      const ids = new Map<string, string>();
      for (const p of products) ids.set(`gid://shopify/Product/${p}`, 'Product');
      for (const c of collections) ids.set(`gid://shopify/Collection/${c}`, 'Collection');
      shops.set(accessToken, { shop, ids, members: new Map() });
    },
    setCollectionProducts(shop, collection, products) {
      const entry = [...shops.values()].find((e) => e.shop === shop);
      if (!entry) throw new Error(`${shop} is not registered`);
      for (const p of products) entry.ids.set(`gid://shopify/Product/${p}`, 'Product');
      entry.members.set(`gid://shopify/Collection/${collection}`, products.map((p) => `gid://shopify/Product/${p}`));
    },
    failNext(kind, times = 1) {
      for (let i = 0; i < times; i++) faults.push(kind);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
