/**
 * The panel's optional sections. Each is fetched separately so one missing field hides one
 * section, not the panel. Where the schema may take one of several shapes, a section lists
 * variants; the build keeps the first one that validates against schema/supergraph.graphql and
 * compiles only that one into the widget.
 */
const REWARD_FIELDS = 'id name kind pointsCost valueMinor currency percentageBp affordable slider { pointsPerStep valueMinorPerStep maxSteps }';
const REDEMPTION_FIELDS = 'id code status expiresAt reward { name }';

/** Optional sections: the first variant that validates is used; none validating hides the section. */
export const SECTIONS = {
  history: [
    `query WidgetHistory($first: Int!, $after: String) { me { id pointsHistory(first: $first, after: $after) { nodes { id type points reason createdAt } pageInfo { hasNextPage endCursor } } } }`,
    `query WidgetHistory($first: Int!, $after: String) { me { id pointsHistory(first: $first, after: $after) { nodes { id type points reason createdAt } } } }`,
  ],
  rewards: [
    `query WidgetRewards { rewards { ${REWARD_FIELDS} } }`,
    `query WidgetRewards { rewards { nodes { ${REWARD_FIELDS} } } }`,
    `query WidgetRewards { rewards(first: 50) { nodes { ${REWARD_FIELDS} } } }`,
  ],
  redeem: [
    `mutation WidgetRedeem($input: RewardRedeemInput!) { rewardRedeem(input: $input) { redemption { ${REDEMPTION_FIELDS} } customer { pointsBalance } userErrors { field message code } } }`,
  ],
  codes: [`query WidgetCodes { me { id redemptions(first: 20) { nodes { ${REDEMPTION_FIELDS} } } } }`],
  referral: [`query WidgetReferral { me { id referralLink { code url } } }`],
  referralCreate: [`mutation WidgetReferralCreate { referralLinkCreate(input: {}) { referralLink { code url } userErrors { field message code } } }`],
  referralShare: [`mutation WidgetReferralShare($input: ReferralShareInput!) { referralShare(input: $input) { userErrors { field message code } } }`],
  vip: [
    `query WidgetVip { me { id vipStatus { tier { id name perks earningMultiplierBp } nextTier { id name threshold } progress { current target remaining percent measure currency } } } vipTiers { id name } }`,
    `query WidgetVip { me { id vipStatus { tier { id name perks earningMultiplierBp } nextTier { id name threshold } progress { current target remaining percent } } } vipTiers { id name } }`,
    `query WidgetVip { me { id vipStatus { tier { id name perks earningMultiplierBp } nextTier { id name threshold } progress { current target remaining percent } } } }`,
  ],
  badges: [`query WidgetBadges { me { id badges { id name description imageUrl awardedAt } } }`],
  leaderboard: [`query WidgetLeaderboard { me { id leaderboard(period: MONTH) { rank total optedOut } } }`],
} as const;

export type SectionKey = keyof typeof SECTIONS;
