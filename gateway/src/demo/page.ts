import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';
import type { DemoCustomer } from './shopify-sim';

/**
 * The demo storefront's HTML. The loyalty part is the theme extension's real app embed block
 * (clients/theme-extension/blocks/app-embed.liquid) rendered with Liquid and the objects Shopify
 * gives it; its schema's "javascript" asset becomes a deferred script tag, as on a storefront.
 */
const EMBED_FILE = fileURLToPath(new URL('../../../clients/theme-extension/blocks/app-embed.liquid', import.meta.url));
const SCHEMA = /{%-?\s*schema\s*-?%}([\s\S]*?){%-?\s*endschema\s*-?%}/;
const engine = new Liquid({ strictFilters: true });

/** Extension assets are served from the widget's build in the demo (Shopify serves them from its CDN). */
const ASSETS: Record<string, string> = { 'herethere-widget.js': '/clients/widget/widget.js' };

interface EmbedSchema {
  javascript?: string | string[];
  settings?: { id: string; default?: unknown }[];
}

export interface EmbedContext {
  shop: string;
  shopifyCustomerId: string | null;
  locale: string;
  proxyPath: string;
}

export async function renderAppEmbed(c: EmbedContext): Promise<string> {
  const source = await readFile(EMBED_FILE, 'utf8');
  const match = SCHEMA.exec(source);
  const schema = (match ? JSON.parse(match[1]) : {}) as EmbedSchema;
  const settings: Record<string, unknown> = Object.fromEntries((schema.settings ?? []).map((s) => [s.id, s.default ?? '']));
  settings.proxy_path = c.proxyPath;
  const html = await engine.parseAndRender(source.replace(SCHEMA, ''), {
    shop: { permanent_domain: c.shop },
    customer: c.shopifyCustomerId ? { id: Number(c.shopifyCustomerId) } : null,
    request: { locale: { iso_code: c.locale } },
    block: { settings },
    routes: { account_login_url: '/demo/account/login', account_register_url: '/demo/account/login' },
  });
  const scripts = [schema.javascript ?? []].flat().map((asset) => `<script src="${esc(ASSETS[asset] ?? `/clients/widget/${asset}`)}" defer></script>`);
  return `${html}\n${scripts.join('\n')}`;
}

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const name = (c: DemoCustomer) => [c.firstName, c.lastName].filter(Boolean).join(' ') || `Customer ${c.shopifyCustomerId}`;

const PRODUCTS = [
  { title: 'Canvas tote', price: '$24.00', hue: 28 },
  { title: 'Ceramic mug', price: '$18.00', hue: 200 },
  { title: 'Wool beanie', price: '$32.00', hue: 340 },
  { title: 'Notebook set', price: '$15.00', hue: 140 },
];

const LOCALES = [
  ['en', 'English'],
  ['es', 'Español'],
  ['fr', 'Français'],
  ['de', 'Deutsch'],
  ['ar', 'العربية'],
];

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 Georgia,"Times New Roman",serif;color:#1c1917;background:#fafaf9}
a{color:#1d4ed8}.demo{background:#1c1917;color:#fafaf9;font:14px/1.4 system-ui,sans-serif;padding:10px 20px;display:flex;flex-wrap:wrap;gap:10px 18px;align-items:center}
.demo a{color:#bfdbfe}.demo form{display:inline-flex;gap:6px;align-items:center;margin:0}.demo button,.demo select{font:inherit;padding:4px 10px;border-radius:6px;border:1px solid #a8a29e;background:#292524;color:#fafaf9}
.demo .note{color:#e7e5e4}header{display:flex;justify-content:space-between;align-items:center;padding:22px 32px;border-bottom:1px solid #e7e5e4;background:#fff}
.logo{font-size:26px;font-weight:700;color:#1c1917;text-decoration:none}nav a{margin-inline-start:18px;color:#44403c;text-decoration:none}
main{max-width:1000px;margin:0 auto;padding:32px}h1{font-size:32px;margin:0 0 20px}.grid{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:24px}
.card{background:#fff;border:1px solid #e7e5e4;border-radius:12px;overflow:hidden}.art{height:170px}.card div{padding:12px 14px}.card h2{font-size:18px;margin:0}.card p{margin:4px 0 0;color:#44403c}
footer{padding:40px 32px;color:#57534e;text-align:center;font-size:14px}`;

export interface StorefrontPage {
  shopName: string;
  customers: DemoCustomer[];
  current: DemoCustomer | null;
  locale: string;
  embed: string;
  installed: boolean;
}

export function renderStorefront(p: StorefrontPage): string {
  const login = p.current
    ? `<span>Logged in as <strong data-demo-customer="${esc(p.current.shopifyCustomerId)}">${esc(name(p.current))}</strong></span>
       <form method="post" action="/demo/logout"><button type="submit">Log out</button></form>
       <button type="button" id="demo-order">Simulate an order</button><span id="demo-order-status" role="status"></span>`
    : `<form method="post" action="/demo/login"><label for="demo-customer">Log in as a demo customer</label>
       <select id="demo-customer" name="customer">${p.customers.map((c) => `<option value="${esc(c.shopifyCustomerId)}">${esc(name(c))}</option>`).join('')}</select>
       <button type="submit">Log in</button></form>`;
  const locales = LOCALES.map(([code, label]) => (code === p.locale ? `<strong lang="${code}">${label}</strong>` : `<a lang="${code}" href="/demo?locale=${code}">${label}</a>`)).join(' · ');
  const products = PRODUCTS.map((x) => `<li class="card"><div class="art" style="background:hsl(${x.hue} 60% 82%)" role="img" aria-label="${esc(x.title)}"></div><div><h2>${esc(x.title)}</h2><p>${x.price}</p></div></li>`).join('');
  return `<!doctype html>
<html lang="${esc(p.locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>${esc(p.shopName)} · demo storefront</title><style>${STYLE}</style></head>
<body>
<div class="demo" role="region" aria-label="Demo controls">
  <strong>Demo storefront</strong>
  <span class="note">A stand-in for a Shopify store running the loyalty app embed.</span>
  ${p.installed ? login : '<span>The demo shop is not installed: start with SEED_DEMO=true.</span>'}
  <span class="note">Storefront language: ${locales}</span>
</div>
<header><a class="logo" href="/demo">${esc(p.shopName)}</a><nav aria-label="Shop"><a href="/demo">New</a><a href="/demo">Bestsellers</a><a href="/demo">About</a></nav></header>
<main><h1>New arrivals</h1><ul class="grid">${products}</ul></main>
<footer>${esc(p.shopName)} · a demo shop</footer>
${p.embed}
<script>
  const order = document.getElementById('demo-order');
  if (order) order.addEventListener('click', async () => {
    const status = document.getElementById('demo-order-status');
    order.disabled = true;
    try {
      const res = await fetch('/demo/orders', { method: 'POST' });
      const body = await res.json();
      status.textContent = body.message;
    } catch {
      status.textContent = 'The order could not be sent.';
    }
    order.disabled = false;
  });
</script>
</body>
</html>`;
}

export function renderLogin(customers: DemoCustomer[]): string {
  const list = customers
    .map((c) => `<li><form method="post" action="/demo/login"><input type="hidden" name="customer" value="${esc(c.shopifyCustomerId)}"><button type="submit">${esc(name(c))}</button></form></li>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>Log in · demo storefront</title><style>${STYLE} li{margin:8px 0} main button{font:inherit;padding:8px 14px}</style></head>
<body><main><h1>Log in</h1><p>This demo signs you in as one of the seeded customers; the app proxy then vouches for them to the loyalty app.</p><ul>${list}</ul><p><a href="/demo">Back to the shop</a></p></main></body></html>`;
}
