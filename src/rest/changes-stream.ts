/**
 * The change feed as server-sent events (changes-route.ts with `Accept: text/event-stream`; docs/rest.md,
 * "Change feed"): one stream of a caller's feed of a model, pulling answers from Backend.changes with long
 * polling and writing each change as an event.
 *
 *   : connected                      (then `id: <cursor>`: where a reconnecting client resumes)
 *   event: change
 *   id: <the cursor after this change>
 *   data: {"op":"updated","id":7,"record":{"id":7,"name":"..."}}
 *
 *   : heartbeat                      (every CHANGES_HEARTBEAT_S while there is nothing to send)
 *   event: error                     (last: why the server ends the stream)
 *   data: {"status":401,"error":"invalid or revoked API key"}
 *
 * Memory is bounded: the stream asks the backend for at most as many changes as its queue has room for
 * (CHANGES_STREAM_QUEUE events), writes them as fast as the client reads (the body's own buffer, then the
 * queue), and a queue that stays full for a heartbeat (a client that does not read) ends the stream with
 * `event: error` (503) and closes the connection. The credentials are checked again every
 * CHANGES_AUTH_CHECK_S: refused, the stream ends with `event: error` (401). `close()` ends it at once (the
 * client left, the server shuts down).
 */
import { PassThrough } from 'node:stream';
import type { ChangesResult, RecordChange } from '../backends/changes.js';
import { toApiError } from './api-error.js';
import { toContractRecord } from './record-shape.js';

export interface ChangeStreamOptions {
  /** The cursor to start after (`Last-Event-ID`, `since`, or the current one). */
  readonly cursor: string;
  /** The answer from `cursor` the route read before starting the stream (its changes are the first events). */
  readonly first?: ChangesResult;
  /** Changes wanted per answer at most (the request's `limit`). */
  readonly limit: number;
  /** The seconds one long poll waits (then the stream asks again). */
  readonly waitS: number;
  readonly heartbeatMs: number;
  readonly queueMax: number;
  readonly authCheckMs: number;
  /** Backend.changes as the caller, for the request's model, domain and fields. */
  readonly fetch: (since: string, limit: number, wait: number, signal: AbortSignal) => Promise<ChangesResult>;
  /** Checks the request's credentials again: a message when they are refused now. */
  readonly recheck: () => Promise<string | undefined>;
  /** Called once when the stream has ended, whatever ended it. */
  readonly onEnd: () => void;
  /** Ends the connection itself (a client that does not read never lets the last event through). */
  readonly destroy: () => void;
}

/** The event of one change (the record in the contract's shape). */
function changeEvent(change: RecordChange, id: string | undefined): string {
  const { op, id: recordId, record } = change;
  const data = JSON.stringify(record ? { op, id: recordId, record: toContractRecord(record) } : { op, id: recordId });
  return `event: change\n${id === undefined ? '' : `id: ${id}\n`}data: ${data}\n\n`;
}

export class ChangeStream {
  /** The response body: Fastify pipes it to the client. */
  readonly body = new PassThrough({ highWaterMark: 16 * 1024 });
  readonly #options: ChangeStreamOptions;
  readonly #controller = new AbortController();
  /** Events waiting for the body to take them (it said it is full). */
  #queue: string[] = [];
  #cursor: string;
  #sentId: string | undefined;
  #ended = false;
  #heartbeat: NodeJS.Timeout | undefined;
  #authCheck: NodeJS.Timeout | undefined;

  constructor(options: ChangeStreamOptions) {
    this.#options = options;
    this.#cursor = options.cursor;
    this.body.on('drain', () => this.#flush());
  }

  /** Starts writing: the first lines, the timers, the loop. */
  start(): void {
    this.#sentId = this.#cursor;
    this.#write(`: connected\nretry: 2000\nid: ${this.#cursor}\n\n`);
    this.#heartbeat = setInterval(() => {
      if (!this.#queue.length && !this.body.writableNeedDrain) this.#write(': heartbeat\n\n');
    }, this.#options.heartbeatMs);
    this.#authCheck = setInterval(() => void this.#checkAuth(), this.#options.authCheckMs);
    if (this.#options.first) this.#emit(this.#options.first);
    void this.#run();
  }

  /** The stream's signal: aborted when it ends. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Ends the stream now, with a last `event: error` when there is a reason to tell. */
  close(reason?: { status: number; error: string }): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#heartbeat);
    clearInterval(this.#authCheck);
    this.#controller.abort();
    this.#queue = [];
    if (reason) this.body.write(`event: error\ndata: ${JSON.stringify(reason)}\n\n`);
    this.body.end();
    // A client that does not read would keep the connection (and what is buffered for it): cut it soon.
    if (reason) setTimeout(() => this.#options.destroy(), 1000).unref();
    this.#options.onEnd();
  }

  #write(text: string): void {
    if (this.#ended) return;
    if (this.#queue.length || this.body.writableNeedDrain) this.#queue.push(text);
    else this.body.write(text);
  }

  #flush(): void {
    while (this.#queue.length && !this.#ended) {
      if (!this.body.write(this.#queue.shift()!)) return;
    }
  }

  /** Resolves when the queue has room again, or false after `ms` (or when the stream ends). */
  #room(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        clearInterval(poll);
        resolve(this.#queue.length < this.#options.queueMax);
      };
      const timer = setTimeout(done, ms);
      const poll = setInterval(() => {
        if (this.#ended || this.#queue.length < this.#options.queueMax) done();
      }, 50);
    });
  }

  async #checkAuth(): Promise<void> {
    try {
      const refused = await this.#options.recheck();
      if (refused) this.close({ status: 401, error: refused });
    } catch {
      // The credentials could not be checked just now (a backend hiccup): the next check decides.
    }
  }

  /** Whether the stream has ended (read again after each wait: `close` may have run meanwhile). */
  #isOver(): boolean {
    return this.#ended;
  }

  async #run(): Promise<void> {
    const { queueMax, limit, waitS, fetch, heartbeatMs } = this.#options;
    while (!this.#ended) {
      if (this.#queue.length >= queueMax && !(await this.#room(heartbeatMs))) {
        if (!this.#isOver())
          this.close({ status: 503, error: `the client does not read its events: ${queueMax} events queued (CHANGES_STREAM_QUEUE)` });
        return;
      }
      let result: ChangesResult;
      try {
        result = await fetch(this.#cursor, Math.max(1, Math.min(limit, queueMax - this.#queue.length)), waitS, this.signal);
      } catch (error) {
        if (this.#isOver()) return;
        const failure = toApiError(error);
        this.close({ status: failure.status, error: failure.message });
        return;
      }
      if (this.#isOver()) return;
      this.#emit(result);
    }
  }

  /** Writes an answer's changes as events, and moves the stream's cursor past them. */
  #emit(result: ChangesResult): void {
    const last = result.changes.length - 1;
    result.changes.forEach((change, index) => {
      const id = change.cursor ?? (index === last ? result.cursor : undefined);
      if (id !== undefined) this.#sentId = id;
      this.#write(changeEvent(change, id));
    });
    // Nothing to tell (changes the caller may not see): the place to resume from moves on all the same.
    if (last < 0 && result.cursor !== this.#sentId) {
      this.#sentId = result.cursor;
      this.#write(`id: ${result.cursor}\n\n`);
    }
    this.#cursor = result.cursor;
  }
}
