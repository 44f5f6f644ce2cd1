import { pollingWorker, type Deps, type Worker } from '@herethere/runtime';
import { awardBirthdayBonuses } from './birthday';
import { expirePoints } from './expiry';
import { releasePendingPoints } from './pending';

export interface ScheduleOptions {
  /** Sleep between ticks when there is nothing to do. */
  idleMs?: number;
  /** How often the daily jobs (birthdays, expiry) scan; they are idempotent, so this only bounds the lag after local midnight. */
  dailyScanMs?: number;
  clock?: () => Date;
}

/**
 * One tick of the loyalty schedule: pending points due now are released every tick; the daily
 * jobs scan at most every `dailyScanMs`, and again at once while they still find work (batches).
 * Returns how much was done, so the polling loop keeps going until everything due is done.
 */
export function scheduleTick(deps: Deps, opts: ScheduleOptions = {}): () => Promise<number> {
  const dailyScanMs = opts.dailyScanMs ?? 10 * 60_000;
  const clock = opts.clock ?? (() => new Date());
  let lastDaily = -Infinity;
  let backlog = false;
  return async () => {
    const now = clock();
    let worked = await releasePendingPoints(deps, now);
    if (backlog || now.getTime() - lastDaily >= dailyScanMs) {
      lastDaily = now.getTime();
      const birthdays = await awardBirthdayBonuses(deps, now);
      const expiry = await expirePoints(deps, now);
      const daily = birthdays + expiry.expired + expiry.reminders;
      backlog = daily > 0;
      if (daily > 0) deps.log.info('daily jobs', { birthdays, expired: expiry.expired, reminders: expiry.reminders });
      worked += daily;
    }
    return worked;
  };
}

/** The loyalty subgraph's scheduled work (pending release, birthday bonus, expiry), ticking every minute. */
export function scheduleWorker(deps: Deps, opts: ScheduleOptions = {}): Worker {
  return pollingWorker('loyalty.schedule', deps, scheduleTick(deps, opts), opts.idleMs ?? 60_000);
}
