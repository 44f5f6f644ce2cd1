import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';
import { BALANCE_SUBSCRIPTION, CONFIG, ME } from '../src/queries';
import { SECTIONS, type SectionKey } from '../src/sections';

/**
 * Builds the storefront widget into clients/widget/dist/widget.js (and the theme extension's
 * asset), checks every operation against schema/supergraph.graphql, prints the size and fails
 * when the gzipped script is over budget.
 */
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
export const WIDGET_DIR = here('../');
export const WIDGET_DIST = here('../dist/');
export const WIDGET_FILE = join(WIDGET_DIST, 'widget.js');
export const THEME_ASSET = here('../../theme-extension/assets/herethere-widget.js');
export const SUPERGRAPH = here('../../../schema/supergraph.graphql');
export const GZIP_LIMIT_BYTES = 30 * 1024;

export interface BuildResult {
  file: string;
  bytes: number;
  gzipBytes: number;
  /** Optional sections the schema serves (true) or lacks (false, hidden in this build). */
  sections: Record<SectionKey, boolean>;
}

function problems(schema: GraphQLSchema, doc: string): string[] {
  return validate(schema, parse(doc)).map((e) => e.message);
}

/** The first variant of each optional section that the schema accepts. */
export function selectOperations(sdl: string): { ops: Partial<Record<SectionKey, string>>; sections: Record<SectionKey, boolean> } {
  const schema = buildSchema(sdl, { assumeValidSDL: true });
  for (const [name, doc] of [['widgetConfig', CONFIG], ['me', ME]] as const) {
    const errors = problems(schema, doc);
    if (errors.length) throw new Error(`The ${name} query no longer matches the schema: ${errors.join('; ')}`);
  }
  const ops: Partial<Record<SectionKey, string>> = {};
  const sections = {} as Record<SectionKey, boolean>;
  for (const key of Object.keys(SECTIONS) as SectionKey[]) {
    const doc = SECTIONS[key].find((variant) => problems(schema, variant).length === 0);
    if (doc) ops[key] = doc.replace(/\s+/g, ' ').trim();
    sections[key] = Boolean(doc);
  }
  return { ops, sections };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** True when dist is missing or older than the sources, the build script or the schema. */
export function widgetIsStale(): boolean {
  if (!existsSync(WIDGET_FILE)) return true;
  const built = statSync(WIDGET_FILE).mtimeMs;
  return Math.max(newestMtime(join(WIDGET_DIR, 'src')), statSync(fileURLToPath(import.meta.url)).mtimeMs, statSync(SUPERGRAPH).mtimeMs) > built;
}

export async function buildWidget(opts: { log?: (line: string) => void; limitBytes?: number } = {}): Promise<BuildResult> {
  const log = opts.log ?? (() => undefined);
  const limit = opts.limitBytes ?? GZIP_LIMIT_BYTES;
  const { ops, sections } = selectOperations(readFileSync(SUPERGRAPH, 'utf8'));
  void BALANCE_SUBSCRIPTION; // served by the gateway's graphql-ws schema, not the supergraph
  mkdirSync(WIDGET_DIST, { recursive: true });
  await build({
    entryPoints: [join(WIDGET_DIR, 'src/main.ts')],
    outfile: WIDGET_FILE,
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome90', 'firefox90', 'safari14'],
    legalComments: 'none',
    // The built file is copied into the theme extension's assets, inside the linted tree.
    banner: { js: '/* eslint-disable */' },
    define: { 'process.env.NODE_ENV': '"production"', __HTH_OPS__: JSON.stringify(ops) },
    logLevel: 'silent',
  });
  mkdirSync(dirname(THEME_ASSET), { recursive: true });
  copyFileSync(WIDGET_FILE, THEME_ASSET);
  const code = readFileSync(WIDGET_FILE);
  const gzipBytes = gzipSync(code, { level: 9 }).length;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  log(`widget.js: ${kb(code.length)}, ${kb(gzipBytes)} gzipped (${gzipBytes} bytes; limit ${kb(limit)})`);
  log(`sections: ${Object.entries(sections).map(([k, ok]) => `${k} ${ok ? 'on' : 'off (not in the schema yet)'}`).join(', ')}`);
  const result = { file: WIDGET_FILE, bytes: code.length, gzipBytes, sections };
  if (gzipBytes > limit) throw Object.assign(new Error(`widget.js is ${gzipBytes} bytes gzipped, over the ${limit}-byte budget`), { result });
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildWidget({ log: (l) => console.log(l) }).catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
