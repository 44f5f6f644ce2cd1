import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildWidget, GZIP_LIMIT_BYTES, THEME_ASSET, WIDGET_FILE } from '../../clients/widget/scripts/build';

describe('the widget build', () => {
  it('stays within 30 KB gzipped', async () => {
    const lines: string[] = [];
    const result = await buildWidget({ log: (l) => lines.push(l) });
    expect(GZIP_LIMIT_BYTES).toBe(30 * 1024);
    expect(result.gzipBytes).toBeLessThanOrEqual(GZIP_LIMIT_BYTES);
    // The printed size is the size of the file actually served and shipped in the theme extension.
    const served = readFileSync(WIDGET_FILE);
    expect(gzipSync(served, { level: 9 }).length).toBe(result.gzipBytes);
    expect(readFileSync(THEME_ASSET).equals(served)).toBe(true);
    expect(lines[0]).toMatch(new RegExp(`gzipped \\(${result.gzipBytes} bytes; limit 30\\.0 KB\\)`));
  });

  it('fails, naming the size, when the script is over budget', async () => {
    await expect(buildWidget({ limitBytes: 10_000 })).rejects.toThrow(/widget\.js is \d+ bytes gzipped, over the 10000-byte budget/);
  });

  it('never ships a customer id or a way to send one', () => {
    const code = readFileSync(WIDGET_FILE, 'utf8');
    expect(code).not.toMatch(/customerId\s*:/);
    expect(code).not.toMatch(/logged_in_customer_id/);
  });
});
