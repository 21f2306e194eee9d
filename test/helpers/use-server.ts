/**
 * `useServer(config?)`: the server a suite runs against, started once before its tests and closed after
 * them, so a test file opens with what it tests rather than with the same beforeAll / afterAll pair.
 *
 *   const server = useServer({ MAX_LIMIT: 5 });
 *   it('a page is at most MAX_LIMIT records', async () => {
 *     expect((await server.request('admin', 'GET', '/api/res_partner?limit=80')).body.limit).toBe(5);
 *   });
 *
 * Call it where you would write `beforeAll`: at the top of the file or of a `describe`. The handle it
 * returns is a `TestServer` whose every property reads the started server, so it can be kept in a `const`
 * and passed to helpers that take a `TestServer`. Reading it before the server has started (while vitest
 * collects the file, or in a `describe` body) throws saying so, rather than handing back `undefined`.
 *
 * Hooks run in the order they are registered, and afterAll ones in reverse (vitest's `sequence.hooks:
 * 'stack'`, the default): a `beforeAll` written after `useServer` sees the server started, an `afterAll`
 * written after it runs before the server closes. A server that depends on another (a GATEWAY_URL that
 * points at a proxy started in an earlier hook) takes its config as a function, read when it starts.
 */
import { afterAll, beforeAll } from 'vitest';
import { startServer, type TestServer } from './server.js';

export type ServerConfig = Record<string, string | number | boolean>;

export function useServer(config: ServerConfig | (() => ServerConfig | Promise<ServerConfig>) = {}): TestServer {
  let started: TestServer | undefined;
  const current = (): TestServer => {
    if (!started)
      throw new Error('useServer(): the server starts in beforeAll; read it inside a test or a hook, not while the suite is collected');
    return started;
  };

  beforeAll(async () => {
    started = await startServer(typeof config === 'function' ? await config() : config);
  });
  afterAll(async () => {
    const server = started;
    started = undefined;
    await server?.close();
  });

  return {
    get app() {
      return current().app;
    },
    get url() {
      return current().url;
    },
    get dataDir() {
      return current().dataDir;
    },
    get backend() {
      return current().backend;
    },
    get truth() {
      return current().truth;
    },
    key: (login) => current().key(login),
    authorization: (login) => current().authorization(login),
    request: (...args) => current().request(...args),
    close: async () => {
      const server = started;
      started = undefined;
      await server?.close();
    },
  };
}
