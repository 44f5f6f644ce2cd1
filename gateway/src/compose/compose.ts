import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { printSubgraphSdl, SUBGRAPH_NAMES, testConfig } from '@herethere/runtime';
import { SUBGRAPHS } from '../subgraphs';

export const SCHEMA_DIR = fileURLToPath(new URL('../../../schema/', import.meta.url));
export const SUPERGRAPH_PATH = `${SCHEMA_DIR}supergraph.graphql`;

export interface Composition {
  files: Record<string, string>;
}

/**
 * Offline composition: every subgraph's SDL is printed from code and composed with
 * @apollo/composition. The gateway only ever starts from the committed result.
 */
export async function compose(): Promise<Composition> {
  const urls = testConfig().subgraphUrls;
  const files: Record<string, string> = {};
  const services = [];
  for (const name of SUBGRAPH_NAMES) {
    const sdl = await printSubgraphSdl(SUBGRAPHS[name]);
    files[`${name}.graphql`] = `${sdl.trim()}\n`;
    services.push({ name, url: urls[name], typeDefs: parse(sdl) });
  }
  const result = composeServices(services);
  if (result.errors?.length) throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  files['supergraph.graphql'] = `${result.supergraphSdl!.trim()}\n`;
  return { files };
}

export async function writeComposition(c: Composition): Promise<void> {
  await mkdir(SCHEMA_DIR, { recursive: true });
  for (const [name, content] of Object.entries(c.files)) await writeFile(`${SCHEMA_DIR}${name}`, content);
}

/** Names of committed files that differ from what the code composes now. */
export async function staleFiles(c: Composition): Promise<string[]> {
  const stale: string[] = [];
  for (const [name, content] of Object.entries(c.files)) {
    const current = await readFile(`${SCHEMA_DIR}${name}`, 'utf8').catch(() => '');
    if (current !== content) stale.push(`schema/${name}`);
  }
  return stale;
}

export const loadSupergraph = () => readFile(SUPERGRAPH_PATH, 'utf8');
