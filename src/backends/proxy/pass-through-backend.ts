/**
 * The Backend of BACKEND=proxy. Its REST routes do not call a backend: they forward every request to
 * the upstream REST gateway unchanged (src/rest/proxy-routes.ts), and the GraphQL gateway client calls
 * the upstream directly. This class owns the upstream connection pool, answers `ping` with the
 * upstream's health and closes the pool; a data method reached by mistake fails loudly (a 500).
 */
import type { Backend, Caller, FieldMeta, ModelInfo, OdooRecord, Session, SessionInfo } from '../backend.js';
import { UpstreamClient, type UpstreamClientOptions } from './upstream-client.js';

function notServed(method: string): Promise<never> {
  return Promise.reject(new Error(`BACKEND=proxy forwards requests to UPSTREAM_URL; Backend.${method} is not served here`));
}

export class PassThroughBackend implements Backend {
  readonly upstream: UpstreamClient;

  constructor(options: UpstreamClientOptions) {
    this.upstream = new UpstreamClient(options);
  }

  resolveModel(): Promise<ModelInfo | undefined> { return notServed('resolveModel'); }
  authenticateApiKey(): Promise<Caller | null> { return notServed('authenticateApiKey'); }
  authenticateSession(): Promise<Caller | null> { return notServed('authenticateSession'); }
  createSession(): Promise<Session> { return notServed('createSession'); }
  sessionInfo(): Promise<SessionInfo | null> { return notServed('sessionInfo'); }
  destroySession(): Promise<void> { return notServed('destroySession'); }
  userInfo(): Promise<SessionInfo> { return notServed('userInfo'); }
  searchRead(): Promise<OdooRecord[]> { return notServed('searchRead'); }
  searchCount(): Promise<number> { return notServed('searchCount'); }
  read(): Promise<OdooRecord[]> { return notServed('read'); }
  create(): Promise<number> { return notServed('create'); }
  write(): Promise<void> { return notServed('write'); }
  createAndRead(): Promise<OdooRecord> { return notServed('createAndRead'); }
  writeAndRead(): Promise<OdooRecord> { return notServed('writeAndRead'); }
  unlink(): Promise<void> { return notServed('unlink'); }
  fieldsGet(): Promise<Record<string, FieldMeta>> { return notServed('fieldsGet'); }

  /** The upstream answers its health route. */
  ping(): Promise<void> {
    return this.upstream.health();
  }

  close(): Promise<void> {
    return this.upstream.close();
  }
}
