import type { Deps } from './context';
import type { Worker } from './federation';

/**
 * A polling loop: runs `tick` until it reports no work, then sleeps `idleMs`. Errors are logged
 * and retried after the idle delay; `stop()` waits for the tick in flight to finish.
 */
export function pollingWorker(name: string, deps: Deps, tick: () => Promise<number>, idleMs = 500): Worker {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      let worked = 0;
      try {
        worked = await tick();
      } catch (err) {
        deps.log.error(`${name} failed`, { error: (err as Error).message });
      }
      if (worked === 0 && !stopped) await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, idleMs);
      });
    }
  })();
  return {
    name,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
