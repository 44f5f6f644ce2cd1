/** Hex colours and WCAG 2.x contrast, for the widget's branding. */

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** `#RGB` or `#RRGGBB` → lower-case `#rrggbb`; null when it is not a hex colour. */
export function normalizeHex(value: string): string | null {
  const v = value.trim();
  if (!HEX.test(v)) return null;
  const hex = v.length === 4 ? `#${v[1]}${v[1]}${v[2]}${v[2]}${v[3]}${v[3]}` : v;
  return hex.toLowerCase();
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance (WCAG 2.x) of a `#rrggbb` colour. */
export function luminance(hex: string): number {
  const n = parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** Contrast ratio between two `#rrggbb` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** WCAG AA: 4.5:1 for normal text, 3:1 for user-interface components and graphics. */
export const AA_TEXT = 4.5;
export const AA_NON_TEXT = 3;

/** A soft near-black or white that reads on `background` at AA, falling back to pure black. */
export function readableOn(background: string): string {
  const candidates = ['#111827', '#ffffff', '#000000'];
  return candidates.find((c) => contrastRatio(c, background) >= AA_TEXT) ?? candidates.reduce((a, c) => (contrastRatio(c, background) > contrastRatio(a, background) ? c : a));
}
