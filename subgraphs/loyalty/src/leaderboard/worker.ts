import { pollingWorker, type Deps, type Worker } from '@herethere/runtime';
import { applyLeaderboardDeltas, pruneLeaderboard } from './store';

/** Folds score deltas into the leaderboard every half second when idle; prunes old periods hourly. */
export function leaderboardWorker(deps: Deps): Worker {
  let lastPrune = 0;
  return pollingWorker('leaderboard', deps, async () => {
    const applied = await applyLeaderboardDeltas(deps);
    if (Date.now() - lastPrune > 3_600_000) {
      lastPrune = Date.now();
      await pruneLeaderboard(deps);
    }
    return applied;
  }, 500);
}
