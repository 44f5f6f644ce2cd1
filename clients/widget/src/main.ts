import { readContext } from './context';
import { Widget } from './widget';

/**
 * Entry point, loaded by the theme app embed. It finds the embed's element (which carries the
 * shop's context) and starts the widget once per page.
 */
declare global {
  interface Window {
    HerethereLoyalty?: { open(): void; close(): void; nudge(message: string): void };
  }
}

function start() {
  const el = document.getElementById('herethere-loyalty') ?? document.querySelector<HTMLElement>('[data-herethere-loyalty]');
  if (!el || window.HerethereLoyalty) return;
  const widget = new Widget(readContext(el));
  window.HerethereLoyalty = { open: () => widget.open(), close: () => widget.close(), nudge: (m) => widget.nudge(m) };
  void widget.boot();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
