/**
 * What every resolver gets: the gateway, bound to this request's caller (their Authorization header
 * and session cookie) and to this operation (identical GETs made once, cancelled if the caller leaves).
 */
import type { RestGateway } from '../gateway/rest-gateway.js';

export interface GraphQLContext {
  readonly gateway: RestGateway;
}
