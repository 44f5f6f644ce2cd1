import { Api } from './api';
import type { ShopContext } from './context';
import { copyText, focusables, h, icon, replace, uuid, type Child } from './dom';
import { I18n } from './i18n';
import { CONFIG, ME } from './queries';
import type { SectionKey } from './sections';
import { ApiError, Session, type Failure } from './session';
import { CSS } from './styles';
import type { Badge, BalanceEvent, HistoryEntry, Me, Redemption, Reward, UserErrorShape, VipStatus, WidgetConfig } from './types';

/** The optional operations this build found in the schema (set by the build; absent ones hide their section). */
declare const __HTH_OPS__: Partial<Record<SectionKey, string>> | undefined;
const OPS: Partial<Record<SectionKey, string>> = typeof __HTH_OPS__ === 'object' && __HTH_OPS__ ? __HTH_OPS__ : {};

const LANG_KEY = 'herethere:lang';
const UNSUPPORTED_KEY = 'herethere:unsupported';
const STALE_MS = 30_000;
const CUSTOMER_SECTIONS = ['vip', 'rewards', 'codes', 'referral', 'badges', 'leaderboard', 'history'] as const;
const GUEST_SECTIONS = ['rewards'] as const;
type DataSection = (typeof CUSTOMER_SECTIONS)[number];
type Slot = 'account' | 'guest' | 'nudges' | 'earn' | DataSection;
type Problem = Exclude<Failure, 'unsupported' | 'denied'>;

interface SectionState {
  data?: unknown;
  ready: boolean;
  hidden: boolean;
  at: number;
}

interface RedeemState {
  busy: boolean;
  steps: number;
  error?: string;
  /** Kept across retries of one attempt so a lost response never redeems twice. */
  key?: string;
}

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError('error'));

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Lists may arrive as plain lists or as connections. */
function nodes<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  const n = (value as { nodes?: unknown } | null)?.nodes;
  return Array.isArray(n) ? (n as T[]) : [];
}

const STATUS_GROUPS: Record<string, string> = {
  issued: 'active', active: 'active', unused: 'active', created: 'active', pending: 'active',
  used: 'used', applied: 'used', consumed: 'used', redeemed: 'used',
  expired: 'expired',
  voided: 'voided', void: 'voided', cancelled: 'voided', canceled: 'voided', refunded: 'voided',
};

export class Widget {
  private readonly session: Session;
  private readonly api: Api;
  private config: WidgetConfig | null = null;
  private i18n = new I18n(null);
  private root!: ShadowRoot;
  private wrap!: HTMLDivElement;
  private launcher!: HTMLButtonElement;
  private panel!: HTMLDivElement;
  private toasts!: HTMLDivElement;
  private announcer!: HTMLDivElement;
  private statusEl!: HTMLDivElement;
  private title!: HTMLHeadingElement;
  private slots: Partial<Record<Slot, HTMLElement>> = {};
  private isOpen = false;
  private me: Me | null = null;
  private meAt = 0;
  private readonly sectionLoads = new Map<DataSection, Promise<void>>();
  private meLoading: Promise<void> | null = null;
  private sections: Partial<Record<DataSection, SectionState>> = {};
  private unsupported: Set<string>;
  private problem: Problem | null = null;
  private restored = false;
  private restoredTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private retryDelay = 2_000;
  private stopLive: (() => void) | null = null;
  private redeemStates = new Map<string, RedeemState>();
  private lastRedemption: Redemption | null = null;
  private history: HistoryEntry[] = [];
  private historyCursor: string | null = null;
  private historyMore = false;
  private share: { channel: 'EMAIL' | 'SMS' | null; to: string; message: string; busy: boolean } = { channel: null, to: '', message: '', busy: false };
  private referralBusy = false;
  private nudges: string[] = [];

  constructor(private readonly ctx: ShopContext) {
    this.session = new Session(ctx, {
      onExpired: () => this.setProblem('expired'),
      onRenewed: () => this.ok(true),
    });
    this.api = new Api(ctx, this.session, { onUnauthenticated: () => this.setProblem('expired') });
    this.unsupported = new Set((storage()?.getItem(UNSUPPORTED_KEY) ?? '').split(',').filter(Boolean));
  }

  private get customer(): boolean {
    return (this.session.kind ?? (this.ctx.loggedIn ? 'customer' : 'visitor')) === 'customer';
  }

  private t(key: string, vars?: Record<string, string | number>) {
    return this.i18n.t(key, vars);
  }

  async boot(): Promise<void> {
    this.mount();
    addEventListener('offline', () => this.onOffline());
    addEventListener('online', () => this.onOnline());
    // After the device slept, timers may not have run: check the token when the page comes back.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.session.check();
    });
    addEventListener('focus', () => this.session.check());
    addEventListener('pageshow', () => this.session.check());
    document.addEventListener('herethere:nudge', (e) => this.nudge((e as CustomEvent<{ message?: unknown }>).detail?.message));
    try {
      await this.loadConfig(storage()?.getItem(LANG_KEY) ?? this.ctx.locale);
    } catch (e) {
      this.handle(e);
    }
    this.paint();
    this.launcher.hidden = false;
    this.startLive();
    document.dispatchEvent(new CustomEvent('herethere:ready'));
  }

  // ── public ────────────────────────────────────────────────────────────────

  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.panel.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.toasts.classList.add('up');
    this.title.focus();
    void this.refresh();
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.panel.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.toasts.classList.remove('up');
    this.launcher.focus();
  }

  /** The nudges slot: a short message shown at the top of the panel. */
  nudge(message: unknown): void {
    if (typeof message !== 'string' || !message.trim()) return;
    this.nudges = [...this.nudges.slice(-2), message.trim().slice(0, 280)];
    this.fill('nudges');
  }

  // ── structure ─────────────────────────────────────────────────────────────

  private mount() {
    const host = h('div', { id: 'herethere-loyalty-widget' });
    this.root = host.attachShadow({ mode: 'open' });
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      this.root.adoptedStyleSheets = [sheet];
    } catch {
      this.root.appendChild(h('style', null, CSS));
    }
    this.launcher = h('button', { type: 'button', class: 'launcher', hidden: true, 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': 'hth-panel', onclick: () => (this.isOpen ? this.close() : this.open()), onpointerenter: () => this.prefetch(), onfocus: () => this.prefetch() });
    this.panel = h('div', { id: 'hth-panel', class: 'panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'hth-title', hidden: true, onkeydown: (e: KeyboardEvent) => this.onKey(e) });
    this.toasts = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    this.announcer = h('div', { class: 'sr', role: 'status', 'aria-live': 'polite' });
    this.wrap = h('div', { class: 'w' }, this.launcher, this.panel, this.toasts, this.announcer);
    this.root.appendChild(this.wrap);
    document.body.appendChild(host);
  }

  /** (Re)draws everything in the current language and branding. */
  private paint() {
    const c = this.config;
    const b = c?.branding;
    const vars: Record<string, string> = {
      '--primary': b?.primaryColor ?? '#5b21b6',
      '--on-primary': b?.primaryTextColor ?? '#ffffff',
      '--accent': b?.accentColor ?? '#7c3aed',
      '--bg': b?.backgroundColor ?? '#ffffff',
      '--text': b?.textColor ?? '#1f2937',
    };
    for (const [k, v] of Object.entries(vars)) this.wrap.style.setProperty(k, v);
    const side = b?.launcherPosition === 'BOTTOM_LEFT' ? 'left' : 'right';
    const dir = c?.rtl ? 'rtl' : 'ltr';
    for (const el of [this.panel, this.toasts, this.announcer, this.launcher]) {
      el.setAttribute('dir', dir);
      el.setAttribute('lang', this.i18n.lang);
    }
    this.launcher.className = `launcher ${side}`;
    this.panel.className = `panel ${side}`;
    this.toasts.className = `toasts ${side}${this.isOpen ? ' up' : ''}`;
    replace(this.launcher, this.root, icon((b?.launcherIcon ?? 'GIFT').toLowerCase()), h('span', null, this.t('launcher.label')));

    this.title = h('h2', { id: 'hth-title', tabindex: '-1' }, this.t('panel.title'));
    const languages = c?.languages ?? [];
    const picker =
      languages.length > 1 &&
      [
        h('label', { class: 'sr', for: 'hth-lang' }, this.t('language.label')),
        h(
          'select',
          { id: 'hth-lang', 'data-key': 'lang', onchange: (e: Event) => void this.switchLanguage((e.target as HTMLSelectElement).value) },
          languages.map((l) => h('option', { value: l, lang: l, selected: l === c?.language }, I18n.languageName(l))),
        ),
      ];
    const closeButton = h('button', { type: 'button', class: 'x', 'data-key': 'close', 'aria-label': this.t('panel.close'), onclick: () => this.close() }, icon('close'));
    this.statusEl = h('div', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-status': '' });
    const order: Slot[] = this.customer ? ['account', 'nudges', 'vip', 'rewards', 'codes', 'referral', 'earn', 'badges', 'leaderboard', 'history'] : ['guest', 'nudges', 'earn', 'rewards'];
    this.slots = {};
    const body = h('div', { class: 'body' });
    for (const key of order) {
      const el = h('section', { 'data-section': key, 'aria-labelledby': `hth-h-${key}` });
      this.slots[key] = el;
      body.appendChild(el);
    }
    replace(this.panel, this.root, h('div', { class: 'head' }, this.title, picker, closeButton), this.statusEl, body);
    this.renderStatus();
    for (const key of order) this.fill(key);
  }

  private fill(key: Slot) {
    const el = this.slots[key];
    if (!el) return;
    const content = this.render(key);
    el.hidden = !content;
    replace(el, this.root, content ?? []);
  }

  private heading(key: Slot, text: string) {
    return h('h3', { id: `hth-h-${key}` }, text);
  }

  private render(key: Slot): Child[] | null {
    switch (key) {
      case 'account': return this.renderAccount();
      case 'guest': return this.renderGuest();
      case 'nudges': return this.nudges.length ? [h('h3', { id: 'hth-h-nudges', class: 'sr' }, this.t('panel.title')), this.nudges.map((m) => h('p', { class: 'nudge' }, m))] : null;
      case 'earn': return this.renderEarn();
      case 'rewards': return this.renderRewards();
      case 'codes': return this.renderCodes();
      case 'referral': return this.renderReferral();
      case 'vip': return this.renderVip();
      case 'badges': return this.renderBadges();
      case 'leaderboard': return this.renderLeaderboard();
      case 'history': return this.renderHistory();
    }
  }

  // ── data ──────────────────────────────────────────────────────────────────

  private async loadConfig(language: string) {
    const { widgetConfig } = await this.api.query<{ widgetConfig: WidgetConfig }>(CONFIG, { language });
    this.config = widgetConfig;
    this.i18n = new I18n(widgetConfig);
    this.ok();
  }

  private async switchLanguage(language: string) {
    storage()?.setItem(LANG_KEY, language);
    try {
      await this.loadConfig(language);
    } catch (e) {
      this.handle(e);
      return;
    }
    this.paint();
    (this.root.getElementById('hth-lang') as HTMLElement | null)?.focus();
  }

  /** Loads what the open panel shows; `force` reloads everything (after an outage). */
  private async refresh(force = false): Promise<void> {
    if (!this.config) {
      try {
        await this.loadConfig(storage()?.getItem(LANG_KEY) ?? this.ctx.locale);
      } catch (e) {
        this.handle(e);
        return;
      }
      this.paint();
    }
    // The balance first: it is what the shopper opened the panel for; the sections follow.
    if (this.customer && (force || !this.meAt || Date.now() - this.meAt > STALE_MS / 3)) await (this.meLoading ??= this.loadMe());
    const jobs: Promise<void>[] = [];
    if (this.isOpen) {
      for (const key of this.customer ? CUSTOMER_SECTIONS : GUEST_SECTIONS) {
        const s = this.sections[key];
        if (force || !s || Date.now() - s.at > STALE_MS) jobs.push(this.sectionLoads.get(key) ?? this.trackLoad(key));
      }
    } else if (!this.customer) {
      jobs.push(this.loadConfig(this.i18n.lang).catch((e) => this.handle(e)));
    }
    await Promise.all(jobs);
  }

  /** One load per section at a time: a recovery and a retry arriving together share it. */
  private trackLoad(key: DataSection): Promise<void> {
    const load = this.loadSection(key).finally(() => this.sectionLoads.delete(key));
    this.sectionLoads.set(key, load);
    return load;
  }

  private async loadMe() {
    try {
      const { me } = await this.api.query<{ me: Me }>(ME);
      this.me = me;
      this.meAt = Date.now();
      this.ok();
    } catch (e) {
      this.handle(e);
    }
    this.meLoading = null;
    this.fill('account');
    this.fill('rewards');
  }

  /** Hover or focus on the launcher: fetch the balance before the click lands. */
  private prefetch() {
    if (this.customer && this.config && !this.isOpen && (!this.meAt || Date.now() - this.meAt > STALE_MS / 3)) void (this.meLoading ??= this.loadMe());
  }

  private async loadSection(key: DataSection, more = false) {
    const state = (this.sections[key] ??= { ready: false, hidden: false, at: 0 });
    const doc = OPS[key];
    if (!doc || this.unsupported.has(key)) {
      state.hidden = true;
      return this.fill(key);
    }
    try {
      const vars = key === 'history' ? { first: 10, after: more ? this.historyCursor : null } : {};
      const data = await this.api.query<Record<string, unknown>>(doc, vars);
      state.data = data;
      state.ready = true;
      state.hidden = false;
      state.at = Date.now();
      if (key === 'history') this.takeHistory(data, more);
      this.ok();
    } catch (e) {
      const err = asApiError(e);
      if (err.kind === 'unsupported') this.markUnsupported(key);
      else if (err.kind === 'denied' || err.kind === 'error') state.hidden = !state.ready;
      else this.handle(err);
    }
    this.fill(key);
  }

  private markUnsupported(key: string) {
    this.unsupported.add(key);
    storage()?.setItem(UNSUPPORTED_KEY, [...this.unsupported].join(','));
    const s = this.sections[key as DataSection];
    if (s) s.hidden = true;
  }

  private takeHistory(data: Record<string, unknown>, more: boolean) {
    const conn = (data.me as { pointsHistory?: { nodes?: HistoryEntry[]; pageInfo?: { hasNextPage: boolean; endCursor: string | null } } } | null)?.pointsHistory;
    const list = conn?.nodes ?? [];
    this.history = more ? [...this.history, ...list] : list;
    this.historyMore = Boolean(conn?.pageInfo?.hasNextPage);
    this.historyCursor = conn?.pageInfo?.endCursor ?? null;
  }

  // ── live balance ──────────────────────────────────────────────────────────

  private startLive() {
    if (this.stopLive || this.session.kind !== 'customer' || !navigator.onLine) return;
    this.stopLive = this.api.followBalance(
      (e) => this.onBalance(e),
      () => {
        this.stopLive = null;
      },
    );
  }

  private onBalance(e: BalanceEvent) {
    if (this.me) this.me = { ...this.me, pointsBalance: e.balance };
    this.fill('account');
    if (e.delta > 0) this.toast(this.t('toast.earned', this.i18n.pts(e.delta)));
    else if (e.delta < 0) this.toast(this.t('toast.spent', this.i18n.pts(-e.delta)));
    for (const s of Object.values(this.sections)) s.at = 0;
    this.meAt = 0;
    if (this.isOpen) void this.refresh();
  }

  private toast(text: string) {
    const el: HTMLDivElement = h(
      'div',
      { class: 'toast', 'data-toast': '' },
      h('span', null, text),
      h('button', { type: 'button', class: 'x', 'aria-label': this.t('toast.close'), onclick: () => el.remove() }, icon('close')),
    );
    this.toasts.appendChild(el);
    setTimeout(() => el.remove(), 8_000);
  }

  // ── failures and recovery ─────────────────────────────────────────────────

  private handle(e: unknown) {
    const err = asApiError(e);
    if (err.kind === 'offline') this.setProblem('offline');
    else if (err.kind === 'down' || err.kind === 'expired') {
      this.setProblem(err.kind === 'expired' && this.problem === 'expired' ? 'expired' : 'down');
      this.scheduleRetry();
    } else if (err.kind === 'error' && !this.config) {
      this.setProblem('error');
      this.scheduleRetry();
    }
  }

  private setProblem(p: Problem) {
    if (this.problem === p) return;
    this.problem = p;
    this.restored = false;
    clearTimeout(this.restoredTimer);
    this.renderStatus();
  }

  /**
   * A call worked: any outage is over. Whatever failed during it (the balance, a section) loads
   * now, because this success also stops the retries; `reload` reloads everything (after a renewal).
   */
  private ok(reload = false) {
    this.retryDelay = 2_000;
    clearTimeout(this.retryTimer);
    // A response that was already on its way does not mean the device is back online.
    const recovered = this.problem !== null && (this.problem !== 'offline' || navigator.onLine);
    if (recovered) {
      this.problem = null;
      this.restored = true;
      this.renderStatus();
      clearTimeout(this.restoredTimer);
      this.restoredTimer = setTimeout(() => {
        this.restored = false;
        this.renderStatus();
      }, 4_000);
      this.startLive();
    }
    if (recovered || reload) void this.refresh(reload);
  }

  private scheduleRetry() {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryDelay = Math.min(this.retryDelay * 2, 30_000);
      void this.retry();
    }, this.retryDelay);
  }

  private async retry() {
    if (!navigator.onLine) return this.setProblem('offline');
    await this.refresh(true);
  }

  private onOffline() {
    this.setProblem('offline');
    this.stopLive?.();
    this.stopLive = null;
  }

  private onOnline() {
    if (this.problem === 'offline') {
      this.problem = 'down';
      this.retryDelay = 2_000;
      void this.retry();
    }
    this.startLive();
  }

  private renderStatus() {
    if (!this.statusEl) return;
    const p = this.problem;
    const retry =
      (p === 'down' || p === 'error') &&
      h('button', { type: 'button', class: 'btn alt', 'data-key': 'retry', onclick: () => {
        this.retryDelay = 2_000;
        void this.retry();
      } }, this.t('status.retry'));
    this.statusEl.dataset.status = p ?? (this.restored ? 'restored' : '');
    replace(this.statusEl, this.root, p ? [h('span', null, this.t(`status.${p}`)), retry] : this.restored ? h('span', null, this.t('status.restored')) : null);
    this.statusEl.hidden = !p && !this.restored;
  }

  private onKey(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close();
      return;
    }
    if (e.key !== 'Tab') return;
    const list = focusables(this.panel);
    if (!list.length) return;
    const i = list.indexOf(this.root.activeElement as HTMLElement);
    if (e.shiftKey && i <= 0) {
      e.preventDefault();
      list[list.length - 1].focus();
    } else if (!e.shiftKey && i === list.length - 1) {
      e.preventDefault();
      list[0].focus();
    }
  }

  // ── sections ──────────────────────────────────────────────────────────────

  private section<T>(key: DataSection): T | null {
    const s = this.sections[key];
    return s && s.ready && !s.hidden && !this.unsupported.has(key) ? (s.data as T) : null;
  }

  private renderAccount(): Child[] {
    const m = this.me;
    if (!m) return [h('p', { class: 'small' }, this.problem ? '' : this.t('status.loading'))];
    return [
      h('h3', { id: 'hth-h-account', class: 'sr' }, this.t('balance.label')),
      m.firstName && h('p', null, this.t('welcome', { name: m.firstName })),
      h('div', { class: 'small' }, this.t('balance.label')),
      h('div', { class: 'balance', 'data-balance': String(m.pointsBalance) }, this.t('balance.amount', this.i18n.pts(m.pointsBalance))),
      m.pointsPending > 0 && h('div', { class: 'small', 'data-pending': String(m.pointsPending) }, this.t('balance.pending', this.i18n.pts(m.pointsPending))),
    ];
  }

  private renderGuest(): Child[] {
    return [
      this.heading('guest', this.t('guest.title')),
      h('p', null, this.t('guest.text', { currency: this.config?.pointsCurrencyPlural ?? '' })),
      h('div', { class: 'row' }, h('a', { class: 'btn', href: this.ctx.joinUrl, 'data-key': 'join' }, this.t('guest.join')), h('a', { class: 'btn alt', href: this.ctx.signInUrl, 'data-key': 'sign-in' }, this.t('guest.signIn'))),
    ];
  }

  private renderEarn(): Child[] | null {
    const c = this.config;
    if (!c?.waysToEarn.length) return null;
    return [
      this.heading('earn', this.t('earn.title')),
      h('ul', null, c.waysToEarn.map((w) => h('li', { class: 'item', 'data-earn': w.kind.toLowerCase() }, h('span', { class: 'grow' }, this.t(`earn.${w.kind.toLowerCase()}`, { ...this.i18n.pts(w.points), money: this.i18n.wholeMoney(w.spendAmount ?? 1, c.currency) }))))),
    ];
  }

  private copyButton(text: string, key: string, labelKey: string) {
    const label = this.t(labelKey);
    const btn: HTMLButtonElement = h('button', { type: 'button', class: 'btn alt', 'data-key': key, 'data-copy': text, onclick: async () => {
      if (!(await copyText(text))) return;
      btn.textContent = this.t('copied');
      this.announcer.textContent = this.t('copied');
      setTimeout(() => {
        btn.textContent = label;
        this.announcer.textContent = '';
      }, 2_000);
    } }, label);
    return btn;
  }

  private renderRewards(): Child[] | null {
    const data = this.section<{ rewards: unknown }>('rewards');
    if (!data) return null;
    const rewards = nodes<Reward>(data.rewards);
    const guest = !this.customer;
    if (!rewards.length) return guest ? null : [this.heading('rewards', this.t('rewards.title')), h('p', { class: 'small' }, this.t('rewards.empty'))];
    const canRedeem = !guest && Boolean(OPS.redeem) && !this.unsupported.has('redeem');
    const balance = this.me?.pointsBalance ?? 0;
    const r = this.lastRedemption;
    const result =
      r?.code &&
      h(
        'div',
        { class: 'result', tabindex: '-1', 'data-key': 'result', 'data-redemption': r.id },
        h('div', { class: 'strong' }, this.t('rewards.ready', { reward: r.reward?.name ?? '' })),
        h('div', { class: 'row' }, h('span', { class: 'code', 'data-code': '' }, r.code), this.copyButton(r.code, 'copy-result', 'copy.code')),
        h('p', { class: 'small' }, this.t('rewards.howTo')),
        r.expiresAt && h('p', { class: 'small' }, this.t('codes.expires', { date: this.i18n.date(r.expiresAt) })),
      );
    const items = rewards.map((reward) => {
      const st = this.redeemStates.get(reward.id) ?? { busy: false, steps: 1 };
      const s = reward.slider;
      const cost = s ? s.pointsPerStep * st.steps : reward.pointsCost;
      const affordable = s ? balance >= cost : (reward.affordable ?? balance >= cost);
      const costEl = h('div', { class: 'small' }, this.t('rewards.cost', this.i18n.pts(cost)));
      const stepLabel = s && h('span', { id: `hth-steps-${reward.id}` }, this.stepText(reward, st.steps));
      const slider =
        s && canRedeem && s.maxSteps > 1 &&
        h('div', null, stepLabel, h('input', {
          type: 'range', class: 'field', min: 1, max: s.maxSteps, value: st.steps, 'data-key': `steps-${reward.id}`, 'aria-labelledby': `hth-steps-${reward.id}`,
          oninput: (e: Event) => {
            st.steps = Number((e.target as HTMLInputElement).value);
            this.redeemStates.set(reward.id, st);
            if (stepLabel) stepLabel.textContent = this.stepText(reward, st.steps);
            costEl.textContent = this.t('rewards.cost', this.i18n.pts(s.pointsPerStep * st.steps));
          },
          onchange: () => this.fill('rewards'),
        }));
      return h(
        'li',
        { class: 'item', 'data-reward': reward.id },
        h(
          'div',
          { class: 'grow' },
          h('div', { class: 'strong' }, reward.name),
          costEl,
          slider,
          canRedeem && !affordable && h('div', { class: 'small' }, this.t('rewards.needMore', this.i18n.pts(Math.max(cost - balance, 0)))),
          st.error && h('div', { class: 'small', role: 'alert' }, this.t('rewards.failed', { reason: st.error })),
        ),
        canRedeem &&
          h('button', { type: 'button', class: 'btn', 'data-key': `redeem-${reward.id}`, disabled: !affordable || st.busy, onclick: () => void this.redeem(reward) }, st.busy ? this.t('rewards.redeeming') : this.t('rewards.redeem')),
      );
    });
    return [this.heading('rewards', this.t(guest ? 'guest.rewardsTitle' : 'rewards.title')), result, h('ul', null, items)];
  }

  private stepText(reward: Reward, steps: number) {
    const s = reward.slider!;
    return this.t('rewards.steps', { ...this.i18n.pts(s.pointsPerStep * steps), value: this.i18n.money(s.valueMinorPerStep * steps, reward.currency ?? this.config?.currency ?? 'USD') });
  }

  private async redeem(reward: Reward) {
    const doc = OPS.redeem;
    if (!doc) return;
    const st = this.redeemStates.get(reward.id) ?? { busy: false, steps: 1 };
    if (st.busy) return;
    st.busy = true;
    st.error = undefined;
    st.key ??= uuid();
    this.redeemStates.set(reward.id, st);
    this.fill('rewards');
    let done = false;
    try {
      const input: Record<string, unknown> = { rewardId: reward.id, idempotencyKey: st.key };
      if (reward.slider) input.steps = st.steps;
      const { rewardRedeem: p } = await this.api.mutate<{ rewardRedeem: { redemption: Redemption | null; customer: { pointsBalance: number } | null; userErrors: UserErrorShape[] } }>(doc, { input });
      st.key = undefined;
      if (p.userErrors.length) st.error = p.userErrors[0].message;
      else if (p.redemption) {
        this.lastRedemption = p.redemption;
        if (p.customer && this.me) this.me = { ...this.me, pointsBalance: p.customer.pointsBalance };
        done = true;
      }
      this.ok();
    } catch (e) {
      const err = asApiError(e);
      if (err.kind === 'unsupported') this.markUnsupported('redeem');
      else if (err.kind === 'error' || err.kind === 'denied') {
        st.key = undefined;
        st.error = this.t('status.error');
      } else this.handle(err);
    }
    st.busy = false;
    this.fill('account');
    this.fill('rewards');
    if (done) {
      (this.root.querySelector('[data-key="result"]') as HTMLElement | null)?.focus();
      void this.loadSection('codes');
      void this.loadSection('history');
    }
  }

  private renderCodes(): Child[] | null {
    const data = this.section<{ me: { redemptions: unknown } | null }>('codes');
    const list = nodes<Redemption>(data?.me?.redemptions).filter((r) => r.code);
    if (!data || !list.length) return null;
    return [
      this.heading('codes', this.t('codes.title')),
      h('ul', null, list.map((r) => {
        const group = STATUS_GROUPS[r.status.toLowerCase()];
        return h(
          'li',
          { class: 'item', 'data-code-id': r.id },
          h(
            'div',
            { class: 'grow' },
            h('div', { class: 'strong' }, r.reward?.name ?? ''),
            h('span', { class: 'code' }, r.code ?? ''),
            h('div', { class: 'small' }, group && this.t(`codes.status.${group}`), group && r.expiresAt && ' · ', r.expiresAt && this.t('codes.expires', { date: this.i18n.date(r.expiresAt) })),
          ),
          this.copyButton(r.code ?? '', `copy-code-${r.id}`, 'copy'),
        );
      })),
    ];
  }

  private renderReferral(): Child[] | null {
    const data = this.section<{ me: { referralLink: { code: string; url: string } | null } | null }>('referral');
    if (!data) return null;
    const link = data.me?.referralLink ?? null;
    const canCreate = Boolean(OPS.referralCreate) && !this.unsupported.has('referralCreate');
    if (!link && !canCreate) return null;
    const advocate = this.config?.waysToEarn.find((w) => w.kind === 'REFERRAL');
    const body: Child[] = [this.heading('referral', this.t('referral.title')), advocate && h('p', null, this.t('referral.text', this.i18n.pts(advocate.points)))];
    if (!link) {
      body.push(h('button', { type: 'button', class: 'btn', 'data-key': 'referral-create', disabled: this.referralBusy, onclick: () => void this.createReferral() }, this.t('referral.create')));
      return body;
    }
    body.push(
      h('label', { class: 'small', for: 'hth-ref' }, this.t('referral.link')),
      h('div', { class: 'row' },
        h('input', { id: 'hth-ref', class: 'field ltr grow', readonly: true, value: link.url, 'data-key': 'referral-link', onfocus: (e: Event) => (e.target as HTMLInputElement).select() }),
        this.copyButton(link.url, 'copy-referral', 'referral.copy')),
    );
    if (OPS.referralShare && !this.unsupported.has('referralShare')) body.push(this.renderShare());
    return body;
  }

  private renderShare(): Child {
    const s = this.share;
    const toggle = (channel: 'EMAIL' | 'SMS', key: string) =>
      h('button', { type: 'button', class: 'btn alt', 'data-key': `share-${channel}`, 'aria-pressed': String(s.channel === channel), onclick: () => {
        this.share = { ...s, channel: s.channel === channel ? null : channel, message: '' };
        this.fill('referral');
      } }, this.t(key));
    const form =
      s.channel &&
      h('form', { class: 'row', 'data-share-form': s.channel, onsubmit: (e: Event) => {
        e.preventDefault();
        void this.sendShare();
      } },
        h('label', { class: 'sr', for: 'hth-share-to' }, this.t(s.channel === 'EMAIL' ? 'referral.to.email' : 'referral.to.sms')),
        h('input', { id: 'hth-share-to', class: 'field ltr grow', type: s.channel === 'EMAIL' ? 'email' : 'tel', required: true, autocomplete: 'off', value: s.to, placeholder: this.t(s.channel === 'EMAIL' ? 'referral.to.email' : 'referral.to.sms'), 'data-key': 'share-to', oninput: (e: Event) => {
          this.share.to = (e.target as HTMLInputElement).value;
        } }),
        h('button', { type: 'submit', class: 'btn', 'data-key': 'share-send', disabled: s.busy }, this.t('referral.send')));
    return h('div', null, h('div', { class: 'row', style: 'margin-block-start:8px' }, toggle('EMAIL', 'referral.email'), toggle('SMS', 'referral.sms')), form, h('p', { class: 'small', role: 'status' }, s.message));
  }

  private async createReferral() {
    const doc = OPS.referralCreate;
    if (!doc || this.referralBusy) return;
    this.referralBusy = true;
    this.fill('referral');
    try {
      const { referralLinkCreate: p } = await this.api.mutate<{ referralLinkCreate: { referralLink: { code: string; url: string } | null; userErrors: UserErrorShape[] } }>(doc);
      const state = this.sections.referral;
      if (p.referralLink && state) state.data = { me: { referralLink: p.referralLink } };
      this.ok();
    } catch (e) {
      const err = asApiError(e);
      if (err.kind === 'unsupported') this.markUnsupported('referralCreate');
      else this.handle(err);
    }
    this.referralBusy = false;
    this.fill('referral');
    (this.root.querySelector('[data-key="referral-link"]') as HTMLElement | null)?.focus();
  }

  private async sendShare() {
    const doc = OPS.referralShare;
    const s = this.share;
    if (!doc || !s.channel || s.busy) return;
    s.busy = true;
    this.fill('referral');
    try {
      const { referralShare: p } = await this.api.mutate<{ referralShare: { userErrors: UserErrorShape[] } }>(doc, { input: { channel: s.channel, to: s.to.trim() } });
      if (p.userErrors.length) s.message = p.userErrors[0].message;
      else this.share = { channel: s.channel, to: '', message: this.t('referral.sent'), busy: false };
      this.ok();
    } catch (e) {
      const err = asApiError(e);
      if (err.kind === 'unsupported') this.markUnsupported('referralShare');
      else if (err.kind === 'error' || err.kind === 'denied') s.message = this.t('status.error');
      else this.handle(err);
    }
    this.share.busy = false;
    this.fill('referral');
  }

  /** What is still missing to the next tier, in the program's measure. */
  private vipRemaining(p: NonNullable<VipStatus['progress']>): string {
    const remaining = p.remaining ?? 0;
    if (p.measure === 'MONEY_SPENT') return this.i18n.money(remaining, p.currency ?? this.config?.currency ?? 'USD');
    if (p.measure === 'ORDER_COUNT') return this.t('vip.orders', { count: this.i18n.n(remaining) });
    if (p.measure === 'POINTS_EARNED') return `${this.i18n.n(remaining)} ${this.i18n.currency(remaining)}`;
    return this.i18n.n(remaining);
  }

  private renderVip(): Child[] | null {
    const data = this.section<{ me: { vipStatus: VipStatus | null } | null; vipTiers?: { id: string; name: string }[] }>('vip');
    const v = data?.me?.vipStatus;
    if (!v || (!v.tier && !v.nextTier)) return null;
    const perks = v.tier?.perks ? (Array.isArray(v.tier.perks) ? v.tier.perks : [v.tier.perks]) : [];
    const bp = v.tier?.earningMultiplierBp ?? 0;
    const pct = Math.max(0, Math.min(100, Math.round(v.progress?.percent ?? 0)));
    const fillEl = h('span');
    fillEl.style.inlineSize = `${pct}%`;
    return [
      this.heading('vip', this.t('vip.title')),
      v.tier && h('p', { class: 'strong', 'data-tier': v.tier.name }, this.t('vip.current', { tier: v.tier.name })),
      v.nextTier && v.progress
        ? [
          h('div', { class: 'small', id: 'hth-vip-progress' }, this.t('vip.progress', { tier: v.nextTier.name })),
          h('div', { class: 'bar', role: 'progressbar', 'aria-labelledby': 'hth-vip-progress', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct }, fillEl),
          h('div', { class: 'small' }, this.t('vip.next', { remaining: this.vipRemaining(v.progress), tier: v.nextTier.name })),
        ]
        : v.tier && h('p', { class: 'small' }, this.t('vip.top')),
      (data?.vipTiers?.length ?? 0) > 1 &&
        h('ol', { class: 'row small ladder', 'aria-label': this.t('vip.ladder') }, data!.vipTiers!.map((t) => h('li', { class: t.id === v.tier?.id ? 'strong' : undefined, 'aria-current': t.id === v.tier?.id ? 'true' : undefined }, t.name))),
      (perks.length > 0 || bp > 10_000) &&
        h('div', { class: 'perks' }, h('div', { class: 'small strong' }, this.t('vip.perks')), h('ul', null, bp > 10_000 && h('li', { class: 'small' }, this.t('vip.multiplier', { multiplier: this.i18n.n(bp / 10_000) })), perks.map((p) => h('li', { class: 'small' }, p)))),
    ];
  }

  private renderBadges(): Child[] | null {
    const data = this.section<{ me: { badges: unknown } | null }>('badges');
    const badges = nodes<Badge>(data?.me?.badges);
    if (!badges.length) return null;
    return [
      this.heading('badges', this.t('badges.title')),
      h('ul', { class: 'badges' }, badges.map((b) => h('li', { class: 'badge', title: b.description ?? '' }, b.imageUrl && h('img', { src: b.imageUrl, alt: '', loading: 'lazy' }), h('div', { class: 'strong' }, b.name), b.description && h('div', { class: 'sr' }, b.description)))),
    ];
  }

  private renderLeaderboard(): Child[] | null {
    const data = this.section<{ me: { leaderboard: { rank: number | null; total: number; optedOut: boolean } | null } | null }>('leaderboard');
    const lb = data?.me?.leaderboard;
    if (!lb || (!lb.optedOut && !lb.rank)) return null;
    return [
      this.heading('leaderboard', this.t('leaderboard.title')),
      h('p', { 'data-rank': lb.rank ?? '' }, lb.optedOut ? this.t('leaderboard.optedOut') : this.t('leaderboard.rank', { rank: this.i18n.n(lb.rank ?? 0), total: this.i18n.n(lb.total) })),
    ];
  }

  private renderHistory(): Child[] | null {
    if (!this.section('history')) return null;
    const signed = new Intl.NumberFormat(this.i18n.lang, { signDisplay: 'exceptZero' });
    return [
      this.heading('history', this.t('history.title')),
      this.history.length
        ? h('ul', null, this.history.map((e) => h('li', { class: 'item', 'data-entry': e.id }, h('div', { class: 'grow' }, h('div', null, e.reason), h('div', { class: 'small' }, this.i18n.date(e.createdAt))), h('span', { class: 'strong ltr' }, signed.format(e.points)))))
        : h('p', { class: 'small' }, this.t('history.empty')),
      this.historyMore && h('button', { type: 'button', class: 'btn alt', 'data-key': 'history-more', onclick: () => void this.loadSection('history', true) }, this.t('history.more')),
    ];
  }
}
