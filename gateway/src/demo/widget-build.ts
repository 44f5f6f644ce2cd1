import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from '@herethere/runtime';

/**
 * The demo serves the widget from clients/widget/dist and (re)builds it when the sources or the
 * schema changed, so `pnpm start` always shows the current widget. Development only: the build
 * tools are dev dependencies of @herethere/widget.
 */
export const WIDGET_DIST = fileURLToPath(new URL('../../../clients/widget/dist/', import.meta.url));
const BUILD_SCRIPT = new URL('../../../clients/widget/scripts/build.ts', import.meta.url);

interface WidgetBuildModule {
  widgetIsStale(): boolean;
  buildWidget(opts?: { log?: (line: string) => void }): Promise<{ bytes: number; gzipBytes: number; sections: Record<string, boolean> }>;
}

let running: Promise<void> | null = null;

export function ensureWidgetBuilt(log: Logger): Promise<void> {
  running ??= (async () => {
    try {
      const mod = (await import(pathToFileURL(fileURLToPath(BUILD_SCRIPT)).href)) as WidgetBuildModule;
      if (!mod.widgetIsStale()) return;
      const result = await mod.buildWidget();
      log.info('widget built', { gzipBytes: result.gzipBytes, sections: result.sections });
    } catch (err) {
      log.warn('widget build failed; serving the last build if there is one', { error: (err as Error).message });
    }
  })().finally(() => {
    running = null;
  });
  return running;
}
