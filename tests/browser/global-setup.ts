import { existsSync, mkdirSync } from 'node:fs';
import { buildWidget } from '../../clients/widget/scripts/build';
import { ARTIFACTS, CHROMIUM } from './env';

/** Builds the widget once (printing its size) and checks the browser is there. */
export default async function setup() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with "apt-get update && apt-get install -y chromium" (or set CHROMIUM_PATH)`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  await buildWidget({ log: (line) => console.log(`[widget] ${line}`) });
}
