/**
 * One spelling per mailbox: lower-cased, `+tag` removed, and for Gmail the dots too (Gmail ignores
 * them), so "Ada.L+shop@GMail.com" and "adal@gmail.com" are the same person.
 */
export function normalizeEmail(email: string | null | undefined): string | null {
  if (!email) return null;
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return null;
  let local = trimmed.slice(0, at).split('+')[0];
  let domain = trimmed.slice(at + 1);
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (domain === 'gmail.com') local = local.replace(/\./g, '');
  return local ? `${local}@${domain}` : null;
}
