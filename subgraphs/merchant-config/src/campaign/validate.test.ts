import { describe, expect, it } from 'vitest';
import { campaignErrors, parseCampaignTime, type CampaignDraft } from './validate';

const now = new Date('2026-11-25T12:00:00Z');
const draft = (over: Partial<CampaignDraft> = {}): CampaignDraft => ({
  name: 'Double points', type: 'multiplier', multiplierBp: 20_000, bonusPoints: null, goalMinor: null, productIds: [], collectionIds: [], tierIds: [],
  segmentId: null, conditions: {}, startsAt: new Date('2026-11-28T05:00:00Z'), endsAt: new Date('2026-11-30T05:00:00Z'), ...over,
});
const messages = (d: CampaignDraft) => campaignErrors(d, now).map((e) => e.message);

describe('campaign times', () => {
  it('reads wall-clock times in the shop’s zone and instants with an offset as given', () => {
    expect(parseCampaignTime('2026-11-28T00:00', 'America/New_York')!.toISOString()).toBe('2026-11-28T05:00:00.000Z');
    expect(parseCampaignTime('2026-07-04', 'America/New_York')!.toISOString()).toBe('2026-07-04T04:00:00.000Z');
    expect(parseCampaignTime('2026-11-28T00:00', 'Asia/Tokyo')!.toISOString()).toBe('2026-11-27T15:00:00.000Z');
    expect(parseCampaignTime('2026-11-28T00:00:00Z', 'Asia/Tokyo')!.toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(parseCampaignTime('2026-11-28T09:00+09:00', 'America/New_York')!.toISOString()).toBe('2026-11-28T00:00:00.000Z');
    expect(parseCampaignTime('2027-11-07T01:30', 'America/New_York')!.toISOString()).toBe('2027-11-07T05:30:00.000Z'); // first 01:30 (EDT)
    expect(parseCampaignTime('tomorrow', 'UTC')).toBeNull();
    expect(parseCampaignTime('2026-02-30T00:00', 'UTC')).toBeNull();
  });
});

describe('campaign rules', () => {
  it('accepts a well-formed campaign, one already running included', () => {
    expect(messages(draft())).toEqual([]);
    expect(messages(draft({ startsAt: new Date('2026-11-01T00:00:00Z') }))).toEqual([]);
    expect(messages(draft({ endsAt: null }))).toEqual([]);
  });

  it('refuses an end before (or at) the start, and a campaign entirely in the past', () => {
    expect(messages(draft({ endsAt: new Date('2026-11-28T05:00:00Z') }))).toEqual(['endsAt (2026-11-28T05:00:00.000Z) must be after startsAt (2026-11-28T05:00:00.000Z)']);
    expect(messages(draft({ startsAt: new Date('2026-11-01T00:00:00Z'), endsAt: new Date('2026-11-25T12:00:00Z') }))).toEqual(['the campaign would be entirely in the past: it ends 2026-11-25T12:00:00.000Z, before now']);
  });

  it('keeps multipliers above 0 and at most 10×', () => {
    for (const bp of [0, -20_000, 100_001]) expect(messages(draft({ multiplierBp: bp }))[0]).toMatch(/^multiplierBp must be above 0 and at most 100000/);
    expect(messages(draft({ multiplierBp: 100_000 }))).toEqual([]);
  });

  it('requires each type’s fields and refuses fields of other types', () => {
    expect(messages(draft({ type: 'spend_goal', multiplierBp: null }))).toEqual(['goalMinor is required for a spend_goal campaign', 'bonusPoints is required for a spend_goal campaign']);
    expect(messages(draft({ type: 'product_bonus', multiplierBp: null, bonusPoints: 10 }))).toEqual(['a product_bonus campaign needs productIds or collectionIds']);
    expect(messages(draft({ type: 'tier_bonus', multiplierBp: null }))).toContain('a tier_bonus campaign needs multiplierBp, bonusPoints or both');
    expect(messages(draft({ productIds: ['gid://shopify/Product/1'] }))).toEqual(['productIds does not apply to a multiplier campaign']);
  });

  it('checks product and collection ids by format', () => {
    const bad = draft({ type: 'product_bonus', multiplierBp: null, bonusPoints: 10, productIds: ['123', 'gid://shopify/Product/9'], collectionIds: ['gid://shopify/Product/9'] });
    expect(messages(bad)).toEqual([
      'productIds must be Shopify product ids like gid://shopify/Product/123 (not: 123)',
      'collectionIds must be Shopify collection ids like gid://shopify/Collection/123 (not: gid://shopify/Product/9)',
    ]);
  });
});
