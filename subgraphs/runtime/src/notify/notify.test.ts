import { describe, expect, it } from 'vitest';
import { klaviyoEventBody, klaviyoMetricName } from './klaviyo';
import { checkTemplate, renderTemplate, templatePlaceholders } from './templates';
import { httpFailure, parseRetryAfter } from './types';

describe('templates', () => {
  it('finds placeholders and rejects unknown or malformed ones', () => {
    expect(templatePlaceholders('Hi {{ customer.firstName }}, {{reward.code}} {{reward.code}}')).toEqual(['customer.firstName', 'reward.code']);
    expect(checkTemplate('reward_issued', 'Code {{reward.code}} for {{customer.firstName}}')).toEqual([]);
    expect(checkTemplate('reward_issued', 'Code {{reward.kode}}')[0]).toMatch(/unknown variable \{\{reward\.kode\}\}; allowed: /);
    expect(checkTemplate('referral', 'Oops {{ referral.url')[0]).toMatch(/not a \{\{variable\}\}/);
  });

  it('renders values, empty for missing, HTML-escaped for email', () => {
    const vars = { customer: { firstName: '<Ada>' }, points: { balance: 1200 } };
    expect(renderTemplate('Hi {{customer.firstName}}: {{points.balance}} {{missing.value}}!', vars)).toBe('Hi <Ada>: 1200 !');
    expect(renderTemplate('Hi {{customer.firstName}}', vars, { escapeHtml: true })).toBe('Hi &lt;Ada&gt;');
  });
});

describe('providers', () => {
  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(Date.UTC(2030, 0, 1, 0, 0, 10)).toUTCString(), Date.UTC(2030, 0, 1))).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('retries 429 and 5xx, not other refusals', () => {
    expect(httpFailure('twilio', 429, '', '2')).toMatchObject({ retryable: true, retryAfterMs: 2000 });
    expect(httpFailure('twilio', 503, '', null)).toMatchObject({ retryable: true });
    expect(httpFailure('twilio', 400, '21211 Invalid', null)).toMatchObject({ retryable: false, error: "twilio refused the message (400): 21211 Invalid" });
  });

  it('shapes a Klaviyo event as JSON:API with the balance as a profile property', () => {
    expect(klaviyoMetricName('reward_issued')).toBe('Loyalty Reward Issued');
    const body = klaviyoEventBody({
      id: 'obx_1', merchantId: 'mer_1', channel: 'email', kind: 'reward_issued', to: { email: 'a@example.com', externalId: '9' },
      subject: 'S', body: 'B', properties: { reward: { code: 'X' } }, profileProperties: { loyalty_points_balance: 10 }, occurredAt: new Date('2026-01-01T00:00:00Z'),
    });
    expect(body).toEqual({
      data: {
        type: 'event',
        attributes: {
          properties: { reward: { code: 'X' }, channel: 'email', subject: 'S', body: 'B' },
          time: '2026-01-01T00:00:00.000Z',
          unique_id: 'obx_1',
          metric: { data: { type: 'metric', attributes: { name: 'Loyalty Reward Issued' } } },
          profile: { data: { type: 'profile', attributes: { email: 'a@example.com', external_id: '9', properties: { loyalty_points_balance: 10 } } } },
        },
      },
    });
  });
});
