/** Shapes of what the API returns to the widget. */
export interface WidgetConfig {
  language: string;
  defaultLanguage: string;
  languages: string[];
  rtl: boolean;
  shopName: string;
  currency: string;
  pointsCurrencySingular: string;
  pointsCurrencyPlural: string;
  strings: { key: string; value: string }[];
  branding: {
    primaryColor: string;
    primaryTextColor: string;
    accentColor: string;
    backgroundColor: string;
    textColor: string;
    launcherPosition: 'BOTTOM_RIGHT' | 'BOTTOM_LEFT';
    launcherLabel: string | null;
    launcherIcon: 'GIFT' | 'STAR' | 'HEART' | 'CROWN' | 'NONE';
    panelStyle: 'LIGHT' | 'DARK';
  };
  waysToEarn: { kind: 'PURCHASE' | 'SIGNUP' | 'REVIEW' | 'BIRTHDAY' | 'REFERRAL'; points: number; spendAmount: number | null }[];
}

export interface Me {
  id: string;
  firstName: string | null;
  pointsBalance: number;
  pointsPending: number;
  totalPointsEarned: number;
}

export interface Reward {
  id: string;
  name: string;
  kind: string;
  pointsCost: number;
  valueMinor: number | null;
  currency: string | null;
  percentageBp: number | null;
  affordable: boolean | null;
  slider: { pointsPerStep: number; valueMinorPerStep: number; maxSteps: number } | null;
}

export interface Redemption {
  id: string;
  code: string | null;
  status: string;
  expiresAt: string | null;
  reward: { name: string } | null;
}

export interface UserErrorShape {
  field: string[] | null;
  message: string;
  code: string;
}

export interface HistoryEntry {
  id: string;
  type: string;
  points: number;
  reason: string;
  createdAt: string;
}

export interface VipStatus {
  tier: { id: string; name: string; perks: string[] | string | null; earningMultiplierBp: number | null } | null;
  nextTier: { id: string; name: string; threshold: number } | null;
  progress: { current: number; target: number | null; remaining: number | null; percent: number; measure?: 'MONEY_SPENT' | 'POINTS_EARNED' | 'ORDER_COUNT'; currency?: string | null } | null;
}

export interface Badge {
  id: string;
  name: string;
  description: string | null;
  imageUrl: string | null;
  awardedAt: string | null;
}

export interface BalanceEvent {
  customerId: string;
  balance: number;
  delta: number;
  entryType: string;
  reason: string;
  transactionId: string;
  at: string;
}
