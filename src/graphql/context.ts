/**
 * What every resolver gets: the gateway, bound to this request's caller (their Authorization header
 * and session cookie) and to this operation (identical GETs made once, cancelled if the caller leaves).
 */
import type { RestGateway } from '../gateway/rest-gateway.js';
import type { RawJsonResults } from './raw-json-results.js';
import type { SubscriptionConnection, SubscriptionTracker } from './subscriptions.js';

export interface GraphQLContext {
  readonly gateway: RestGateway;
  /** The process's open subscriptions and their limits (subscriptions.ts). */
  readonly subscriptions?: SubscriptionTracker;
  /** The WebSocket connection this operation came on (ws-transport.ts); absent over HTTP. */
  readonly subscriptionConnection?: SubscriptionConnection;
  /** Over HTTP: where gateway JSON passed through to the answer is kept until it is written (raw-json-results.ts). */
  readonly rawJson?: RawJsonResults;
}
