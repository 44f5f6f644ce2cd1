/**
 * Message templates: `{{ path.to.value }}` placeholders filled from the notification's variables.
 * The variables each template type may use are listed here, so the merchant's editor can reject
 * a misspelt one when the template is saved rather than sending a blank later.
 */

const COMMON = ['shop.name', 'customer.firstName', 'customer.lastName', 'points.balance', 'program.pointsName'] as const;

export const TEMPLATE_VARIABLES: Record<string, readonly string[]> = {
  referral: [...COMMON, 'advocate.firstName', 'referral.url', 'referral.code', 'friend.offer'],
  referral_completed: [...COMMON, 'referral.points'],
  points_earned: [...COMMON, 'points.earned', 'points.reason'],
  reward_issued: [...COMMON, 'reward.name', 'reward.code', 'reward.value', 'reward.expiresAt'],
  tier_change: [...COMMON, 'tier.name', 'tier.previous'],
  expiry_reminder: [...COMMON, 'points.expiring', 'points.expiresAt'],
  badge_awarded: [...COMMON, 'badge.name'],
  campaign_started: [...COMMON, 'campaign.name', 'campaign.endsAt'],
  popup: [...COMMON],
  plan_change: ['shop.name', 'plan.name'],
};

export interface TemplateText {
  subject: string | null;
  body: string;
}

/** Built-in English wording, used when the merchant has no template for a type, channel and language. */
export const DEFAULT_TEMPLATES: Record<string, { email: TemplateText; sms: TemplateText }> = {
  referral: {
    email: { subject: '{{advocate.firstName}} sent you a gift from {{shop.name}}', body: '{{advocate.firstName}} thinks you will love {{shop.name}}. Get {{friend.offer}} on your first order: {{referral.url}}' },
    sms: { subject: null, body: '{{advocate.firstName}} sent you {{friend.offer}} at {{shop.name}}: {{referral.url}}' },
  },
  referral_completed: {
    email: { subject: 'Your friend joined {{shop.name}}', body: 'Thanks for spreading the word! You earned {{referral.points}} {{program.pointsName}}. Your balance is {{points.balance}}.' },
    sms: { subject: null, body: '{{shop.name}}: your referral completed, +{{referral.points}} {{program.pointsName}}.' },
  },
  points_earned: {
    email: { subject: 'You earned {{points.earned}} {{program.pointsName}}', body: 'Hi {{customer.firstName}}, you earned {{points.earned}} {{program.pointsName}} at {{shop.name}}. Your balance is {{points.balance}}.' },
    sms: { subject: null, body: '{{shop.name}}: +{{points.earned}} {{program.pointsName}}, balance {{points.balance}}.' },
  },
  reward_issued: {
    email: { subject: 'Your reward from {{shop.name}}: {{reward.name}}', body: 'Hi {{customer.firstName}}, here is your code for {{reward.name}}: {{reward.code}}. Your balance is {{points.balance}}.' },
    sms: { subject: null, body: '{{shop.name}}: your code for {{reward.name}} is {{reward.code}}' },
  },
  tier_change: {
    email: { subject: 'You are now {{tier.name}} at {{shop.name}}', body: 'Hi {{customer.firstName}}, your status is now {{tier.name}}.' },
    sms: { subject: null, body: '{{shop.name}}: you are now {{tier.name}}.' },
  },
  expiry_reminder: {
    email: { subject: 'Your {{program.pointsName}} expire soon', body: 'Hi {{customer.firstName}}, {{points.expiring}} {{program.pointsName}} expire on {{points.expiresAt}}. Spend them at {{shop.name}}.' },
    sms: { subject: null, body: '{{shop.name}}: {{points.expiring}} {{program.pointsName}} expire on {{points.expiresAt}}.' },
  },
  badge_awarded: {
    email: { subject: 'New badge: {{badge.name}}', body: 'Hi {{customer.firstName}}, you earned the {{badge.name}} badge at {{shop.name}}.' },
    sms: { subject: null, body: '{{shop.name}}: new badge {{badge.name}}.' },
  },
  campaign_started: {
    email: { subject: '{{campaign.name}} at {{shop.name}}', body: 'Hi {{customer.firstName}}, {{campaign.name}} is on until {{campaign.endsAt}}.' },
    sms: { subject: null, body: '{{shop.name}}: {{campaign.name}} until {{campaign.endsAt}}.' },
  },
  popup: {
    email: { subject: '{{shop.name}}', body: 'Hi {{customer.firstName}}' },
    sms: { subject: null, body: '{{shop.name}}' },
  },
  plan_change: {
    email: { subject: 'Your plan changed', body: '{{shop.name}} is now on the {{plan.name}} plan.' },
    sms: { subject: null, body: '{{shop.name}} is now on the {{plan.name}} plan.' },
  },
};

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)*)\s*\}\}/g;
const MALFORMED = /\{\{(?!\s*[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z][a-zA-Z0-9_]*)*\s*\}\})/;

/** The placeholders a text uses, in order of first appearance. */
export function templatePlaceholders(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) seen.add(m[1]);
  return [...seen];
}

/** Problems with a template text: malformed or unknown placeholders. Empty when it is fine. */
export function checkTemplate(type: string, text: string): string[] {
  const allowed = TEMPLATE_VARIABLES[type] ?? [];
  const problems: string[] = [];
  if (MALFORMED.test(text)) problems.push('has a "{{" that is not a {{variable}} placeholder');
  const unknown = templatePlaceholders(text).filter((p) => !allowed.includes(p));
  if (unknown.length) problems.push(`uses unknown variable${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{{${u}}}`).join(', ')}; allowed: ${allowed.join(', ')}`);
  return problems;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function lookup(vars: Record<string, unknown>, path: string): unknown {
  let cur: unknown = vars;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Fills placeholders; missing values render empty. Email bodies HTML-escape the values. */
export function renderTemplate(text: string, vars: Record<string, unknown>, opts: { escapeHtml?: boolean } = {}): string {
  return text.replace(PLACEHOLDER, (_m, path: string) => {
    const v = lookup(vars, path);
    if (v === undefined || v === null || typeof v === 'object') return '';
    const s = String(v);
    return opts.escapeHtml ? s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]) : s;
  });
}
