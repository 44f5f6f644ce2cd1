import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient, type Client as WsClient } from 'graphql-ws';
import type { ShopContext } from './context';
import { BALANCE_SUBSCRIPTION } from './queries';
import { ApiError, type Session } from './session';
import type { BalanceEvent } from './types';

export interface ApiHooks {
  /** The server refused the token: the widget shows "session expired" while it renews. */
  onUnauthenticated(): void;
}

/**
 * GraphQL over HTTP (urql, POST) and the live balance over graphql-ws on the same /graphql path.
 * Every failure becomes an ApiError the panel can explain; nothing is logged to the console.
 */
export class Api {
  private readonly client: Client;
  private readonly ws: WsClient;

  constructor(ctx: ShopContext, private readonly session: Session, private readonly hooks: ApiHooks) {
    this.ws = createClient({
      url: `${ctx.apiUrl.replace(/^http/, 'ws')}/graphql`,
      lazy: true,
      lazyCloseTimeout: 0,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => navigator.onLine,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1_000 * 2 ** retries) + Math.random() * 500)),
      connectionParams: async () => ({ authorization: `Bearer ${await session.fresh()}` }),
    });
    this.client = new Client({
      url: `${ctx.apiUrl}/graphql`,
      preferGetMethod: false,
      requestPolicy: 'network-only',
      fetchOptions: () => ({ headers: { authorization: `Bearer ${session.token ?? ''}` } }),
      exchanges: [
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: this.ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
        fetchExchange,
      ],
    });
  }

  query<T>(doc: string, variables: Record<string, unknown> = {}): Promise<T> {
    return this.run<T>('query', doc, variables, false);
  }

  mutate<T>(doc: string, variables: Record<string, unknown> = {}): Promise<T> {
    return this.run<T>('mutation', doc, variables, false);
  }

  private async run<T>(kind: 'query' | 'mutation', doc: string, variables: Record<string, unknown>, retried: boolean): Promise<T> {
    if (!navigator.onLine) throw new ApiError('offline');
    const token = await this.session.fresh();
    const result = kind === 'query' ? await this.client.query(doc, variables).toPromise() : await this.client.mutation(doc, variables).toPromise();
    const error = result.error;
    if (!error) return result.data as T;
    const codes = error.graphQLErrors.map((e) => e.extensions?.code);
    const status = (error.response as Response | undefined)?.status ?? 0;
    if (codes.includes('UNAUTHENTICATED') || status === 401) {
      if (retried) throw new ApiError('expired');
      // Parallel requests sent with the same refused token renew it once.
      if (this.session.token === token) {
        this.session.invalidate();
        this.hooks.onUnauthenticated();
      }
      return this.run<T>(kind, doc, variables, true);
    }
    if (codes.includes('GRAPHQL_VALIDATION_FAILED')) throw new ApiError('unsupported');
    if (error.networkError || status >= 500) throw new ApiError(navigator.onLine ? 'down' : 'offline');
    if (codes.includes('FORBIDDEN')) throw new ApiError('denied');
    throw new ApiError('error', error.graphQLErrors[0]?.message ?? 'error');
  }

  /** Follows the signed-in customer's balance; returns a stop function. */
  followBalance(onEvent: (e: BalanceEvent) => void, onEnd: () => void): () => void {
    const { unsubscribe } = this.client.subscription<{ pointsBalanceChanged: BalanceEvent }>(BALANCE_SUBSCRIPTION, {}).subscribe((result) => {
      if (result.data?.pointsBalanceChanged) onEvent(result.data.pointsBalanceChanged);
      else if (result.error) onEnd();
    });
    return unsubscribe;
  }
}
