import type { Logger } from '../logger';
import type { MessageSender } from './types';

/**
 * Embedded mode (or no provider credentials): records what would have been sent instead of
 * sending it. The outbox worker writes the delivery log (email_events, provider `dev`) as for any
 * provider, so the merchant can see each message.
 */
export function devSender(log?: Logger): MessageSender {
  return {
    name: 'dev',
    async send(m) {
      log?.info('message recorded, not sent (no provider configured)', { outboxId: m.id, kind: m.kind, channel: m.channel });
      return { ok: true, provider: 'dev', providerMessageId: `dev-${m.id}` };
    },
  };
}
