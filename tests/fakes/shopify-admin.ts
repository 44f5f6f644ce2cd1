import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Kind, parse, valueFromASTUntyped, type FieldNode, type OperationDefinitionNode } from 'graphql';

/**
 * A local stand-in for Shopify's Admin GraphQL API, strict about the documented contract:
 * POST /admin/api/{version}/graphql.json with X-Shopify-Access-Token, a JSON {query, variables}
 * body, the discountCodeBasicCreate / discountCodeFreeShippingCreate input shapes, userErrors for
 * business failures, and the cost-based leaky bucket (THROTTLED with extensions.cost). Faults can
 * be queued to exercise 5xx, 429, timeouts, dropped connections and throttling.
 */

export type Fault =
  | { kind: 'throttled' }
  | { kind: 'server_error'; status?: number }
  | { kind: 'http429'; retryAfterSeconds?: number }
  | { kind: 'drop' }
  | { kind: 'hang' }
  | { kind: 'hang_after_create' }
  | { kind: 'user_error'; message: string; field?: string[]; code?: string };

export interface FakeDiscount {
  id: string;
  shop: string;
  code: string;
  mutation: 'discountCodeBasicCreate' | 'discountCodeFreeShippingCreate';
  input: Record<string, unknown>;
  createdAt: Date;
}

export interface RecordedRequest {
  shop: string | null;
  operation: string | null;
  variables: Record<string, unknown>;
  status: number;
  outcome: string;
}

export interface FakeShopifyAdminOptions {
  latencyMs?: number;
  /** Leaky bucket: points available at most and restored per second (Shopify's standard plan: 2000 / 100). */
  bucket?: { maximumAvailable: number; restoreRate: number };
  queryCost?: number;
}

export interface FakeShopifyAdmin {
  url: string;
  discounts: Map<string, FakeDiscount>;
  requests: RecordedRequest[];
  registerShop(shop: string, accessToken: string): void;
  /** Queues faults for the next matching requests (all operations unless `operation` is given). */
  failNext(fault: Fault, times?: number, operation?: string): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  setBucket(bucket: { maximumAvailable: number; restoreRate: number }): void;
  created(shop?: string): FakeDiscount[];
  reset(): void;
  close(): Promise<void>;
}

const VERSION_PATH = /^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/;
const GID = (type: string) => new RegExp(`^gid://shopify/${type}/\\d+$`);
const DECIMAL = /^\d{1,12}(\.\d{1,4})?$/;

class VariableError extends Error {}

function typeErr(argName: string, typeName: string, path: string, problem: string): never {
  throw new VariableError(`Variable $${argName} of type ${typeName}! was provided invalid value for ${path} (${problem})`);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the input object's shape the way GraphQL input coercion would; business rules become userErrors. */
function validateCommon(argName: string, typeName: string, input: unknown, allowed: string[]): asserts input is Record<string, unknown> {
  if (!isObj(input)) typeErr(argName, typeName, '', 'Expected value to be an object');
  for (const key of Object.keys(input)) if (!allowed.includes(key)) typeErr(argName, typeName, key, 'Field is not defined on the input type');
  for (const req of ['title', 'code', 'startsAt']) if (typeof input[req] !== 'string') typeErr(argName, typeName, req, 'Expected value to not be null');
  for (const d of ['startsAt', 'endsAt']) if (input[d] != null && Number.isNaN(Date.parse(String(input[d])))) typeErr(argName, typeName, d, 'invalid DateTime');
  if (input.usageLimit != null && !Number.isInteger(input.usageLimit)) typeErr(argName, typeName, 'usageLimit', 'Could not coerce value to Int');
  if (input.appliesOncePerCustomer != null && typeof input.appliesOncePerCustomer !== 'boolean') typeErr(argName, typeName, 'appliesOncePerCustomer', 'Could not coerce value to Boolean');
  const sel = input.customerSelection;
  if (sel != null) {
    if (!isObj(sel)) typeErr(argName, typeName, 'customerSelection', 'Expected value to be an object');
    for (const k of Object.keys(sel)) if (!['all', 'customers', 'customerSegments'].includes(k)) typeErr(argName, typeName, `customerSelection.${k}`, 'Field is not defined on DiscountCustomerSelectionInput');
    if (sel.customers != null) {
      const c = sel.customers as Record<string, unknown>;
      if (!isObj(c) || (c.add != null && (!Array.isArray(c.add) || c.add.some((id) => typeof id !== 'string' || !GID('Customer').test(id))))) {
        typeErr(argName, typeName, 'customerSelection.customers.add', 'Expected a list of Customer GIDs');
      }
    }
  }
  const cw = input.combinesWith;
  if (cw != null) {
    if (!isObj(cw)) typeErr(argName, typeName, 'combinesWith', 'Expected value to be an object');
    for (const [k, v] of Object.entries(cw)) {
      if (!['orderDiscounts', 'productDiscounts', 'shippingDiscounts'].includes(k)) typeErr(argName, typeName, `combinesWith.${k}`, 'Field is not defined on DiscountCombinesWithInput');
      if (typeof v !== 'boolean') typeErr(argName, typeName, `combinesWith.${k}`, 'Could not coerce value to Boolean');
    }
  }
  const min = input.minimumRequirement;
  if (min != null) {
    if (!isObj(min) || !isObj(min.subtotal) || typeof min.subtotal.greaterThanOrEqualToSubtotal !== 'string' || !DECIMAL.test(min.subtotal.greaterThanOrEqualToSubtotal)) {
      typeErr(argName, typeName, 'minimumRequirement', 'Expected subtotal.greaterThanOrEqualToSubtotal as a Decimal string');
    }
  }
}

type UserError = { field: string[]; message: string; code: string };

function businessErrors(arg: string, input: Record<string, unknown>): UserError[] {
  const errors: UserError[] = [];
  const code = String(input.code);
  if (!code.trim() || code.length > 255 || /[\r\n]/.test(code)) errors.push({ field: [arg, 'code'], message: 'Code is invalid', code: 'INVALID' });
  if (!String(input.title).trim()) errors.push({ field: [arg, 'title'], message: "Title can't be blank", code: 'BLANK' });
  if (input.endsAt != null && Date.parse(String(input.endsAt)) <= Date.parse(String(input.startsAt))) errors.push({ field: [arg, 'endsAt'], message: 'Ends at needs to be after starts_at', code: 'INVALID' });
  if (input.usageLimit != null && (input.usageLimit as number) < 1) errors.push({ field: [arg, 'usageLimit'], message: 'Usage limit must be greater than 0', code: 'GREATER_THAN' });
  if (!input.customerSelection) errors.push({ field: [arg, 'customerSelection'], message: "Customer selection can't be blank", code: 'BLANK' });
  return errors;
}

export async function startFakeShopifyAdmin(opts: FakeShopifyAdminOptions = {}): Promise<FakeShopifyAdmin> {
  const tokens = new Map<string, string>();
  const discounts = new Map<string, FakeDiscount>();
  const requests: RecordedRequest[] = [];
  const faults: { fault: Fault; operation?: string }[] = [];
  const hanging = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let latencyMs = opts.latencyMs ?? 0;
  let bucket = opts.bucket ?? { maximumAvailable: 2000, restoreRate: 100 };
  const cost = opts.queryCost ?? 10;
  let available = bucket.maximumAvailable;
  let lastRefill = Date.now();
  let seq = 1000;

  const refill = () => {
    const now = Date.now();
    available = Math.min(bucket.maximumAvailable, available + ((now - lastRefill) / 1000) * bucket.restoreRate);
    lastRefill = now;
  };
  const costExtension = (actual: number | null) => ({
    cost: { requestedQueryCost: cost, actualQueryCost: actual, throttleStatus: { maximumAvailable: bucket.maximumAvailable, currentlyAvailable: Math.floor(available), restoreRate: bucket.restoreRate } },
  });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': `fake-${seq++}`, ...headers });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const record = (r: Omit<RecordedRequest, 'variables'> & { variables?: Record<string, unknown> }) => requests.push({ variables: {}, ...r });
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method !== 'POST' || !VERSION_PATH.test(url.pathname)) {
      record({ shop: null, operation: null, status: 404, outcome: 'wrong path or method' });
      return send(res, 404, { errors: 'Not Found' });
    }
    const token = req.headers['x-shopify-access-token'];
    const shop = typeof token === 'string' ? tokens.get(token) : undefined;
    const forwarded = req.headers['x-forwarded-host'];
    if (!shop || (typeof forwarded === 'string' && forwarded !== shop)) {
      record({ shop: null, operation: null, status: 401, outcome: 'bad access token' });
      return send(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    if (!String(req.headers['content-type'] ?? '').includes('application/json')) {
      record({ shop, operation: null, status: 415, outcome: 'not json' });
      return send(res, 415, { errors: 'Content-Type must be application/json' });
    }
    let body: { query?: unknown; variables?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      record({ shop, operation: null, status: 400, outcome: 'malformed json' });
      return send(res, 400, { errors: 'Malformed JSON' });
    }
    const variables = isObj(body.variables) ? body.variables : {};
    let field: FieldNode;
    let operationType: string;
    try {
      if (typeof body.query !== 'string') throw new Error('No query string was present');
      const doc = parse(body.query);
      const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      if (!op) throw new Error('No operation');
      operationType = op.operation;
      field = op.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD)!;
    } catch (err) {
      record({ shop, operation: null, variables, status: 200, outcome: 'parse error' });
      return send(res, 200, { errors: [{ message: (err as Error).message, extensions: { code: 'parseError' } }] });
    }
    const operation = field.name.value;
    const argValue = (name: string): unknown => {
      const arg = field.arguments?.find((a) => a.name.value === name);
      if (!arg) return undefined;
      return arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] : valueFromASTUntyped(arg.value, variables);
    };
    const argName = (name: string) => {
      const arg = field.arguments?.find((a) => a.name.value === name);
      return arg?.value.kind === Kind.VARIABLE ? arg.value.name.value : name;
    };

    // Transport faults strike before the API looks at the request; business faults only once it
    // has passed the rate limiter.
    const take = (kinds: Fault['kind'][]): Fault | undefined => {
      const idx = faults.findIndex((f) => (!f.operation || f.operation === operation) && kinds.includes(f.fault.kind));
      return idx >= 0 ? faults.splice(idx, 1)[0].fault : undefined;
    };
    let fault = take(['drop', 'hang', 'server_error', 'http429', 'throttled']);
    if (latencyMs) await new Promise((r) => setTimeout(r, latencyMs));
    if (fault?.kind === 'drop') {
      record({ shop, operation, variables, status: 0, outcome: 'dropped' });
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') {
      record({ shop, operation, variables, status: 0, outcome: 'hung' });
      hanging.add(res);
      return;
    }
    if (fault?.kind === 'server_error') {
      record({ shop, operation, variables, status: fault.status ?? 503, outcome: 'server error' });
      return send(res, fault.status ?? 503, { errors: 'Service Unavailable' });
    }
    if (fault?.kind === 'http429') {
      record({ shop, operation, variables, status: 429, outcome: 'http 429' });
      return send(res, 429, { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, { 'retry-after': String(fault.retryAfterSeconds ?? 1) });
    }
    refill();
    if (fault?.kind === 'throttled' || available < cost) {
      if (fault?.kind === 'throttled') available = 0;
      record({ shop, operation, variables, status: 200, outcome: 'throttled' });
      return send(res, 200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }], extensions: costExtension(null) });
    }
    available -= cost;
    fault = take(['user_error', 'hang_after_create']);

    const ok = (data: unknown, outcome: string) => {
      record({ shop, operation, variables, status: 200, outcome });
      send(res, 200, { data, extensions: costExtension(cost) });
    };
    try {
      if (operation === 'codeDiscountNodeByCode' && operationType === 'query') {
        const code = argValue('code');
        if (typeof code !== 'string') throw new VariableError(`Variable $${argName('code')} of type String! was provided invalid value`);
        const found = [...discounts.values()].find((d) => d.shop === shop && d.code.toLowerCase() === code.toLowerCase());
        return ok({ codeDiscountNodeByCode: found ? { id: found.id } : null }, found ? 'found' : 'not found');
      }
      const creates: Record<string, { arg: string; type: string; allowed: string[] }> = {
        discountCodeBasicCreate: {
          arg: 'basicCodeDiscount', type: 'DiscountCodeBasicInput',
          allowed: ['title', 'code', 'startsAt', 'endsAt', 'customerSelection', 'customerGets', 'minimumRequirement', 'usageLimit', 'appliesOncePerCustomer', 'combinesWith', 'recurringCycleLimit'],
        },
        discountCodeFreeShippingCreate: {
          arg: 'freeShippingCodeDiscount', type: 'DiscountCodeFreeShippingInput',
          allowed: ['title', 'code', 'startsAt', 'endsAt', 'customerSelection', 'destination', 'minimumRequirement', 'usageLimit', 'appliesOncePerCustomer', 'combinesWith', 'maximumShippingPrice', 'appliesOnOneTimePurchase', 'appliesOnSubscription', 'recurringCycleLimit'],
        },
      };
      const spec = creates[operation];
      if (!spec || operationType !== 'mutation') {
        record({ shop, operation, variables, status: 200, outcome: 'unknown field' });
        return send(res, 200, { errors: [{ message: `Field '${operation}' doesn't exist on type '${operationType === 'mutation' ? 'Mutation' : 'QueryRoot'}'`, extensions: { code: 'undefinedField', typeName: operationType === 'mutation' ? 'Mutation' : 'QueryRoot', fieldName: operation } }] });
      }
      const input = argValue(spec.arg);
      const vname = argName(spec.arg);
      validateCommon(vname, spec.type, input, spec.allowed);
      if (operation === 'discountCodeBasicCreate') {
        const gets = input.customerGets;
        if (!isObj(gets) || !isObj(gets.value) || !isObj(gets.items)) typeErr(vname, spec.type, 'customerGets', 'Expected value and items');
        const value = gets.value as Record<string, unknown>;
        const kinds = Object.keys(value);
        if (kinds.length !== 1 || !['percentage', 'discountAmount', 'discountOnQuantity'].includes(kinds[0])) typeErr(vname, spec.type, 'customerGets.value', 'Exactly one of percentage, discountAmount, discountOnQuantity');
        if ('percentage' in value && typeof value.percentage !== 'number') typeErr(vname, spec.type, 'customerGets.value.percentage', 'Could not coerce value to Float');
        if ('discountAmount' in value) {
          const amt = value.discountAmount as Record<string, unknown>;
          if (!isObj(amt) || typeof amt.amount !== 'string' || !DECIMAL.test(amt.amount) || typeof amt.appliesOnEachItem !== 'boolean') typeErr(vname, spec.type, 'customerGets.value.discountAmount', 'Expected amount (Decimal string) and appliesOnEachItem');
        }
        const items = gets.items as Record<string, unknown>;
        if (!(items.all === true || (isObj(items.products) && Array.isArray((items.products as Record<string, unknown>).productVariantsToAdd)))) typeErr(vname, spec.type, 'customerGets.items', 'Expected all: true or products');
        const variants = isObj(items.products) ? ((items.products as Record<string, unknown>).productVariantsToAdd as unknown[]) : [];
        if (variants.some((v) => typeof v !== 'string' || !GID('ProductVariant').test(v))) typeErr(vname, spec.type, 'customerGets.items.products.productVariantsToAdd', 'Expected ProductVariant GIDs');
      } else {
        const dest = input.destination;
        if (!isObj(dest) || !(dest.all === true || isObj(dest.countries))) typeErr(vname, spec.type, 'destination', 'Expected all: true or countries');
      }
      const userErrors = businessErrors(spec.arg, input);
      if ('percentage' in ((input.customerGets as Record<string, Record<string, unknown>> | undefined)?.value ?? {})) {
        const p = (input.customerGets as { value: { percentage: number } }).value.percentage;
        if (!(p > 0 && p <= 1)) userErrors.push({ field: [spec.arg, 'customerGets', 'value', 'percentage'], message: 'Value must be between 0.0 and 1.0', code: 'VALUE_OUTSIDE_RANGE' });
      }
      if (fault?.kind === 'user_error') userErrors.push({ field: fault.field ?? [spec.arg], message: fault.message, code: fault.code ?? 'INVALID' });
      const code = String(input.code);
      if (!userErrors.length && [...discounts.values()].some((d) => d.shop === shop && d.code.toLowerCase() === code.toLowerCase())) {
        userErrors.push({ field: [spec.arg, 'code'], message: 'Code must be unique. Please try a different code.', code: 'TAKEN' });
      }
      if (userErrors.length) return ok({ [operation]: { codeDiscountNode: null, userErrors } }, 'user errors');
      const id = `gid://shopify/DiscountCodeNode/${seq++}`;
      discounts.set(`${shop}/${code}`, { id, shop, code, mutation: operation as FakeDiscount['mutation'], input, createdAt: new Date() });
      if (fault?.kind === 'hang_after_create') {
        record({ shop, operation, variables, status: 0, outcome: 'created then hung' });
        hanging.add(res);
        return;
      }
      return ok({ [operation]: { codeDiscountNode: { id }, userErrors: [] } }, 'created');
    } catch (err) {
      if (!(err instanceof VariableError)) throw err;
      record({ shop, operation, variables, status: 200, outcome: 'invalid variable' });
      return send(res, 200, { errors: [{ message: err.message, extensions: { code: 'INVALID_VARIABLE' } }] });
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { errors: String((err as Error).message) });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    discounts,
    requests,
    registerShop: (shop, accessToken) => void tokens.set(accessToken, shop),
    failNext(fault, times = 1, operation) {
      for (let i = 0; i < times; i++) faults.push({ fault, operation });
    },
    clearFaults: () => void (faults.length = 0),
    setLatency: (ms) => void (latencyMs = ms),
    setBucket(b) {
      bucket = b;
      available = b.maximumAvailable;
      lastRefill = Date.now();
    },
    created: (shop) => [...discounts.values()].filter((d) => !shop || d.shop === shop),
    reset() {
      discounts.clear();
      requests.length = 0;
      faults.length = 0;
      available = bucket.maximumAvailable;
    },
    async close() {
      for (const r of hanging) r.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Standalone (benchmarks run it in its own process):
//   tsx tests/fakes/shopify-admin.ts --latency 150 --bucket 20000/1000 --shop bench.myshopify.com=shpat_…
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const value = (name: string) => args[args.indexOf(name) + 1];
  const [max, restore] = args.includes('--bucket') ? value('--bucket').split('/').map(Number) : [2000, 100];
  const fake = await startFakeShopifyAdmin({ latencyMs: args.includes('--latency') ? Number(value('--latency')) : 0, bucket: { maximumAvailable: max, restoreRate: restore } });
  args.forEach((a, i) => {
    if (a === '--shop') {
      const [shop, token] = args[i + 1].split('=');
      fake.registerShop(shop, token);
    }
  });
  process.stdout.write(`LISTENING ${fake.url}\n`);
  process.on('SIGTERM', () => void fake.close().then(() => process.exit(0)));
}
