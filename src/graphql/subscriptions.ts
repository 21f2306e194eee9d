/**
 * GraphQL subscriptions (issue 19) as resolvers over the REST change feed, `GET /api/<slug>/changes`
 * (docs/rest.md, "Change feed"): never in-process events. A subscription takes the feed's cursor (or the
 * client's `since`), then long-polls the feed through the gateway as the caller, one request at a time,
 * shared with the subscriptions of the same credentials, slug, domain and fields at the same position
 * (`SharedFeeds`: one poll in flight, its changes fanned out to each one's own queue),
 * and hands each change on with the cursor right after it (the feed's cursor per change, else before its
 * batch: see `cursorAfter`). Since the feed comes from the backend (the
 * embedded store's change log, or Odoo polled), a write through any instance, the CLI or Odoo's own UI
 * reaches subscribers on every instance.
 *
 * - Every poll is made with the caller's credentials: a revoked key or a destroyed session ends the
 *   subscription with `UNAUTHENTICATED` at the next poll (within `GRAPHQL_SUBSCRIPTION_WAIT_S`).
 * - A cursor too old for the feed (410) ends it with `CURSOR_EXPIRED`: reload and subscribe without `since`.
 * - The client going away (SSE request closed, `complete` or a closed WebSocket) calls the iterator's
 *   `return()`, which aborts the long poll in flight at once (the undici request's signal).
 * - Bounded: subscriptions per caller and per WebSocket connection (`TOO_MANY_SUBSCRIPTIONS`), and the
 *   changes kept for a subscriber that reads slowly (beyond, the subscription ends with `SLOW_CONSUMER`).
 */
import { createHash } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { CONFIG_DEFAULTS } from '../config.js';
import { printDomain } from '../domain/print-domain.js';
import type { DomainNode } from '../domain/types.js';
import type { ChangeOp, ChangesPage, ContractChange, ContractRecord } from '../gateway/contract-types.js';
import { GatewayError } from '../gateway/gateway-error.js';
import type { RestGateway } from '../gateway/rest-gateway.js';
import type { SubscriptionObserver, SubscriptionTransport } from '../observability/metrics.js';
import { checkFields, checkSlug } from './arguments.js';
import { badUserInput, graphQLErrorFromGateway } from './errors.js';

export interface SubscriptionLimits {
  /** Subscriptions open at once on one WebSocket connection. */
  readonly maxPerConnection: number;
  /** Subscriptions open at once per caller (Authorization header or session cookie), all transports. */
  readonly maxPerUser: number;
  /** Seconds each long poll of the feed waits (`wait=`). */
  readonly waitS: number;
  /** Changes kept for a subscriber that reads slower than they come; beyond, `SLOW_CONSUMER`. */
  readonly queueSize: number;
}

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = Object.freeze({
  maxPerConnection: CONFIG_DEFAULTS.GRAPHQL_MAX_SUBSCRIPTIONS_PER_CONNECTION,
  maxPerUser: CONFIG_DEFAULTS.GRAPHQL_MAX_SUBSCRIPTIONS_PER_USER,
  waitS: CONFIG_DEFAULTS.GRAPHQL_SUBSCRIPTION_WAIT_S,
  queueSize: CONFIG_DEFAULTS.GRAPHQL_SUBSCRIPTION_QUEUE,
});

/** One WebSocket connection's count of open subscriptions (SSE: one subscription per request, none). */
export interface SubscriptionConnection {
  active: number;
}

/** What the subscription resolvers find in the context, besides the gateway. */
export interface SubscriptionContext {
  readonly gateway: RestGateway;
  readonly subscriptions?: SubscriptionTracker;
  /** Set by the WebSocket transport (ws-transport.ts). */
  readonly subscriptionConnection?: SubscriptionConnection;
}

/** The process's open subscriptions: the limits per caller and per connection, and the metrics. */
export class SubscriptionTracker {
  readonly #perUser = new Map<string, number>();
  readonly #streams = new Set<ChangeStream>();
  #active = 0;
  /** The polls of the feed shared by subscriptions of the same credentials, slug, domain and fields. */
  readonly feeds = new SharedFeeds();

  constructor(
    readonly limits: SubscriptionLimits = DEFAULT_SUBSCRIPTION_LIMITS,
    private readonly observer?: SubscriptionObserver,
  ) {}

  /** Subscriptions open now. */
  get active(): number {
    return this.#active;
  }

  /**
   * Counts one more subscription of `user` (on `connection`), or throws `TOO_MANY_SUBSCRIPTIONS`. Returns
   * the function that ends it (once) with a reason for the metrics.
   */
  acquire(user: string, transport: SubscriptionTransport, connection?: SubscriptionConnection): (reason: string) => void {
    if (connection && connection.active >= this.limits.maxPerConnection) {
      this.observer?.subscriptionRefused('connection');
      throw tooMany(`at most ${this.limits.maxPerConnection} subscriptions may be open on one connection`);
    }
    const count = this.#perUser.get(user) ?? 0;
    if (count >= this.limits.maxPerUser) {
      this.observer?.subscriptionRefused('user');
      throw tooMany(`at most ${this.limits.maxPerUser} subscriptions may be open at once per user`);
    }
    this.#perUser.set(user, count + 1);
    if (connection) connection.active++;
    this.#active++;
    this.observer?.subscriptionStarted(transport);
    let released = false;
    return (reason) => {
      if (released) return;
      released = true;
      const left = (this.#perUser.get(user) ?? 1) - 1;
      if (left > 0) this.#perUser.set(user, left);
      else this.#perUser.delete(user);
      if (connection) connection.active--;
      this.#active--;
      this.observer?.subscriptionEnded(transport, reason);
    };
  }

  /** Keeps `stream` until it ends, for `shutdown`. */
  track(stream: ChangeStream): void {
    if (stream.ended) return;
    this.#streams.add(stream);
    stream.onceEnded(() => this.#streams.delete(stream));
  }

  /** Ends every subscription (the server is shutting down): a last `SERVICE_UNAVAILABLE` error, polls aborted. */
  shutdown(): void {
    for (const stream of this.#streams) stream.stop(SHUTTING_DOWN());
  }

  delivered(transport: SubscriptionTransport, count: number): void {
    this.observer?.changesDelivered(transport, count);
  }
}

function tooMany(message: string): GraphQLError {
  return createGraphQLError(`${message}: close some first`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } });
}

/** One change as a subscription hands it on (`RecordChange`, and the typed `<Model>Change`). */
export interface RecordChangeEvent {
  readonly op: ChangeOp;
  readonly id: number;
  /**
   * Where to resume (`since`) without losing a change: exactly after this one when the feed tells a cursor
   * per change (the embedded store) or it is its batch's last; else (BACKEND=odoo) before its batch (the
   * batch's changes may then come again).
   */
  readonly cursor: string;
  readonly record: ContractRecord | null;
}

/** What a change stream yields: a change, or the error that ends it (thrown by the field's resolver). */
export type StreamItem = RecordChangeEvent | { readonly error: GraphQLError };

export function isStreamError(item: StreamItem): item is { readonly error: GraphQLError } {
  return 'error' in item;
}

/** Resolves a subscription field's value: the change, or the error that ends the subscription. */
export function resolveChange(item: StreamItem): RecordChangeEvent {
  if (isStreamError(item)) throw item.error;
  return item;
}

const SHUTTING_DOWN = () =>
  createGraphQLError('the server is shutting down: subscribe again (with `since`, the cursor of the last change received)', {
    extensions: { code: 'SERVICE_UNAVAILABLE' },
  });

const CURSOR_EXPIRED = 'the cursor is too old for the change feed: reload the records and subscribe again without `since` (a new cursor)';

/** Transient failures of a poll, tried again (with a growing pause) this many times in a row. */
const POLL_RETRIES = 4;

function endReason(error: GraphQLError): string {
  switch (error.extensions.code) {
    case 'SERVICE_UNAVAILABLE':
      return 'shutdown';
    case 'UNAUTHENTICATED':
      return 'unauthenticated';
    case 'CURSOR_EXPIRED':
      return 'cursor_expired';
    case 'SLOW_CONSUMER':
      return 'slow_consumer';
    default:
      return 'error';
  }
}

function isTransient(error: GatewayError): boolean {
  if (error.code === 'GATEWAY_HTTP_ERROR') return error.status === 502 || error.status === 503 || error.status === 504;
  return error.code === 'GATEWAY_UNREACHABLE' || error.code === 'GATEWAY_TIMEOUT' || error.code === 'GATEWAY_OVERLOADED';
}

function errorOf(error: unknown): GraphQLError {
  if (error instanceof GatewayError) {
    if (error.code === 'GATEWAY_HTTP_ERROR' && error.status === 410) {
      return createGraphQLError(CURSOR_EXPIRED, { extensions: { code: 'CURSOR_EXPIRED' } });
    }
    return graphQLErrorFromGateway(error);
  }
  return createGraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The cursor an event carries: exactly after its change. The last change of a page: the page's `cursor`
 * (nothing the caller may see lies between). Another: the change's own `cursor` when the feed tells one
 * (the embedded store, `GET /api/<slug>/changes`); else (BACKEND=odoo) the cursor the page was asked from,
 * before its batch, from which the rest of the batch (and maybe this change) comes again, none lost.
 */
function cursorAfter(change: ContractChange, isLast: boolean, pageCursor: string, before: string): string {
  if (isLast) return pageCursor;
  const own = (change as ContractChange & { readonly cursor?: unknown }).cursor;
  return typeof own === 'string' && own !== '' ? own : before;
}

/** Long-polls the feed from `cursor`: one call per page; `wait` 0 when the last answer said `more`. */
export type PollFeed = (since: string, wait: number, signal: AbortSignal) => Promise<ChangesPage>;

/** Where subscriptions share their polls: the process's groups (SubscriptionTracker's), and this one's key. */
export interface FeedShare {
  readonly feeds: SharedFeeds;
  /** Credentials, slug, domain and fields (see `feedKey`): only subscriptions with equal keys share a poll. */
  readonly key: string;
}

interface ChangeStreamOptions {
  /** Polls the feed as this subscriber's caller (its gateway). */
  readonly poll: PollFeed;
  readonly cursor: string;
  readonly waitS: number;
  readonly queueSize: number;
  /** Called once when the stream ends, with the reason (metrics, limits). */
  readonly onEnd: (reason: string) => void;
  /** Called with the number of changes handed to the client. */
  readonly onDelivered?: (count: number) => void;
  /** Shares the poll with the subscriptions of the same key at the same position; without, a poll of its own. */
  readonly share?: FeedShare;
  /**
   * Whether `poll` carries a signal of its own that ends with this subscriber (an SSE request's): a group
   * then sends its polls through another member when it can, so this one leaving aborts nothing.
   */
  readonly ownSignal?: boolean;
}

/**
 * One long poll of the feed shared by the subscriptions of one key (the same credentials, slug, domain and
 * fields) at one position: one request in flight, its changes fanned out to every member's own queue.
 * The poll is sent through a member's gateway (they all carry the same credentials); the last member
 * leaving aborts it at once; a failure for good (401, 410...) ends every member with its code.
 */
class FeedPoll {
  readonly members = new Set<ChangeStream>();
  readonly #controller = new AbortController();
  #cursor: string;
  #stopped = false;

  constructor(
    cursor: string,
    private readonly waitS: number,
    private readonly share?: { readonly feeds: SharedFeeds; readonly key: string },
  ) {
    this.#cursor = cursor;
  }

  /** The position the poll in flight (or the next) starts from: members have had every change up to it. */
  get cursor(): string {
    return this.#cursor;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  start(): void {
    void this.#run();
  }

  add(member: ChangeStream): void {
    this.members.add(member);
    member.joined(this);
  }

  /** A member leaves: the poll goes on for the others; the last one's leaving aborts it at once. */
  remove(member: ChangeStream): void {
    if (!this.members.delete(member) || this.members.size > 0) return;
    this.#stop();
  }

  #stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#controller.abort();
    this.share?.feeds.forget(this.share.key, this.#cursor, this);
  }

  /** The member whose gateway sends the next poll: one whose leaving cannot abort it, if any. */
  #carrier(): ChangeStream | undefined {
    let any: ChangeStream | undefined;
    for (const member of this.members) {
      if (!member.ownSignal) return member;
      any ??= member;
    }
    return any;
  }

  #fail(error: GraphQLError): void {
    const members = [...this.members];
    this.members.clear();
    this.#stop();
    for (const member of members) member.fail(error);
  }

  async #run(): Promise<void> {
    const signal = this.#controller.signal;
    let more = false;
    let failures = 0;
    // A function: the flag changes while this awaits (TypeScript would take one read for all).
    const stopped = () => this.#stopped;
    while (!stopped()) {
      const carrier = this.#carrier();
      if (!carrier) return this.#stop();
      const from = this.#cursor;
      let page: ChangesPage;
      try {
        page = await carrier.poll(from, more ? 0 : this.waitS, signal);
        failures = 0;
      } catch (error) {
        if (stopped()) return;
        // Its carrier left (an SSE request closed, aborting its own gateway's call): sent again by another.
        if (!this.members.has(carrier)) continue;
        if (error instanceof GatewayError && isTransient(error) && failures < POLL_RETRIES) {
          await sleep(250 * 2 ** failures++, signal);
          continue;
        }
        return this.#fail(errorOf(error));
      }
      if (stopped()) return;
      const last = page.changes.length - 1;
      const events = page.changes.map((change, index): RecordChangeEvent => ({
        op: change.op,
        id: change.id,
        cursor: cursorAfter(change, index === last, page.cursor, from),
        record: change.record ?? null,
      }));
      // A member may end here (SLOW_CONSUMER) and leave: a copy is walked.
      if (events.length > 0) for (const member of [...this.members]) member.deliver(events);
      if (stopped()) return;
      more = page.more;
      if (page.cursor !== from) {
        this.#cursor = page.cursor;
        // Another group of this key already at the new position: its poll serves these members too.
        const other = this.share?.feeds.moved(this.share.key, from, page.cursor, this);
        if (other) {
          const members = [...this.members];
          this.members.clear();
          this.#stop();
          for (const member of members) other.add(member);
          return;
        }
      }
    }
  }
}

/**
 * The process's shared polls, by key then position. A subscription joins the group of its key at its
 * starting cursor, or starts one there (alone, it catches up on its own polls); a group reaching the
 * position of another of its key hands its members over and stops, so each key has at most one poll in
 * flight per position, and one in all once its subscribers have caught up.
 */
export class SharedFeeds {
  readonly #groups = new Map<string, Map<string, FeedPoll>>();

  /** Polls in flight (groups running), for tests and metrics. */
  get polls(): number {
    let count = 0;
    for (const groups of this.#groups.values()) count += groups.size;
    return count;
  }

  join(key: string, cursor: string, member: ChangeStream, waitS: number): void {
    let groups = this.#groups.get(key);
    if (!groups) this.#groups.set(key, (groups = new Map<string, FeedPoll>()));
    const found = groups.get(cursor);
    if (found && !found.stopped) {
      found.add(member);
      return;
    }
    const group = new FeedPoll(cursor, waitS, { feeds: this, key });
    groups.set(cursor, group);
    group.add(member);
    group.start();
  }

  /** `group` moved from `from` to `to`: the group of its key already there, if any, else it is recorded there. */
  moved(key: string, from: string, to: string, group: FeedPoll): FeedPoll | undefined {
    const groups = this.#groups.get(key);
    if (!groups) return undefined;
    if (groups.get(from) === group) groups.delete(from);
    const other = groups.get(to);
    if (other && other !== group && !other.stopped) return other;
    groups.set(to, group);
    return undefined;
  }

  forget(key: string, cursor: string, group: FeedPoll): void {
    const groups = this.#groups.get(key);
    if (groups?.get(cursor) !== group) return;
    groups.delete(cursor);
    if (groups.size === 0) this.#groups.delete(key);
  }
}

/**
 * The async iterator behind a subscription: one member of a shared poll (`FeedPoll`), with its own bounded
 * queue (polling runs ahead of the client), its own SLOW_CONSUMER end, metrics and limits. The iterator's
 * `return()` (the client left) takes it out of its poll, which is aborted at once when it was the last
 * member (an async generator suspended in an `await` could not do that).
 */
export class ChangeStream implements AsyncIterableIterator<StreamItem> {
  readonly #options: ChangeStreamOptions;
  readonly #queue: StreamItem[] = [];
  #group: FeedPoll | undefined;
  #waiting: ((result: IteratorResult<StreamItem>) => void) | undefined;
  /** Set when nothing more will be queued (the error that ended it is queued last). */
  #ended: string | undefined;
  #closed = false;
  readonly #onEnded: (() => void)[] = [];

  constructor(options: ChangeStreamOptions) {
    this.#options = options;
    if (options.share) options.share.feeds.join(options.share.key, options.cursor, this, options.waitS);
    else {
      const group = new FeedPoll(options.cursor, options.waitS);
      group.add(this);
      group.start();
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Whether the stream is over (closed, or ended by an error not yet read). */
  get ended(): boolean {
    return this.#closed || this.#ended !== undefined;
  }

  get ownSignal(): boolean {
    return this.#options.ownSignal === true;
  }

  /** Polls the feed as this subscriber's caller (for its group). */
  poll(since: string, wait: number, signal: AbortSignal): Promise<ChangesPage> {
    return this.#options.poll(since, wait, signal);
  }

  /** Called by the group it joins (or moves to). */
  joined(group: FeedPoll): void {
    this.#group = group;
  }

  /** The changes of one page of its group's poll: queued, or SLOW_CONSUMER past the bound. */
  deliver(events: readonly RecordChangeEvent[]): void {
    if (this.ended) return;
    for (const event of events) this.#push(event);
    if (this.#queue.length > this.#options.queueSize) {
      this.#end(
        createGraphQLError(
          `the subscriber reads too slowly: more than ${this.#options.queueSize} changes wait for it; subscribe again with \`since\``,
          { extensions: { code: 'SLOW_CONSUMER' } },
        ),
      );
    }
  }

  /** Its group's poll failed for good (401, 410...): ends it with that error. */
  fail(error: GraphQLError): void {
    this.#end(error);
  }

  /** Calls `listener` once the stream is closed. */
  onceEnded(listener: () => void): void {
    if (this.#closed) listener();
    else this.#onEnded.push(listener);
  }

  /** Ends the stream from outside with `error`, its last item; it leaves its poll. */
  stop(error: GraphQLError): void {
    this.#end(error);
  }

  next(): Promise<IteratorResult<StreamItem>> {
    const item = this.#queue.shift();
    if (item) {
      if (!isStreamError(item)) this.#options.onDelivered?.(1);
      return Promise.resolve({ value: item, done: false });
    }
    if (this.#ended !== undefined || this.#closed) {
      this.#close(this.#ended ?? 'complete');
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => (this.#waiting = resolve));
  }

  return(): Promise<IteratorResult<StreamItem>> {
    this.#close(this.#ended ?? 'complete');
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<StreamItem>> {
    this.#close(this.#ended ?? 'complete');
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  #leave(): void {
    const group = this.#group;
    this.#group = undefined;
    group?.remove(this);
  }

  #close(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#leave();
    this.#queue.length = 0;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.({ value: undefined, done: true });
    this.#options.onEnd(reason);
    for (const listener of this.#onEnded.splice(0)) listener();
  }

  #push(item: StreamItem): void {
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      if (!isStreamError(item)) this.#options.onDelivered?.(1);
      waiting({ value: item, done: false });
    } else this.#queue.push(item);
  }

  #end(error: GraphQLError): void {
    if (this.#closed || this.#ended !== undefined) return;
    this.#ended = endReason(error);
    this.#leave();
    // The client gets the error at once, before any change still queued: it is told why it must reload.
    this.#queue.length = 0;
    this.#push({ error });
  }
}

export interface ChangeSubscriptionArgs {
  readonly slug: string;
  readonly domain?: DomainNode | null;
  readonly fields?: readonly string[] | null;
  readonly since?: string | null;
}

const MAX_CURSOR_LENGTH = 1024;

/**
 * The key of the subscriptions that may share a poll: everything the gateway sends that shapes the feed's
 * answer (the whole of the caller's credentials: Authorization, session cookie, language, companies), and
 * the slug, domain and fields asked. A digest: no secret kept in memory.
 */
function feedKey(gateway: RestGateway, slug: string, domain: string | undefined, fields: readonly string[] | undefined): string {
  const { authorization, sessionCookie, acceptLanguage, companyIds } = gateway.credentials;
  const parts = [
    authorization ?? null,
    sessionCookie ?? null,
    acceptLanguage ?? null,
    companyIds ?? null,
    slug,
    domain ?? null,
    fields ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
}

/** The caller a subscription counts against: a digest of their key or session (no secret kept in memory). */
function callerKey(gateway: RestGateway): string {
  const { authorization, sessionCookie } = gateway.credentials;
  const credential = authorization !== undefined ? `a:${authorization}` : `s:${sessionCookie ?? ''}`;
  return createHash('sha256').update(credential).digest('base64url');
}

/**
 * Starts a subscription to the changes of `slug`: the arguments checked, the limits counted, and the
 * feed's current cursor taken when `since` is not given (so a bad slug, domain or field, or missing
 * credentials, are refused at once with the codes of queries). `fields` undefined: all the caller may read.
 */
export async function subscribeToChanges(
  context: SubscriptionContext,
  args: ChangeSubscriptionArgs,
  transport: SubscriptionTransport = context.subscriptionConnection ? 'ws' : 'sse',
): Promise<AsyncIterableIterator<StreamItem>> {
  const slug = checkSlug(args.slug);
  const fields = checkFields(args.fields);
  const domain = args.domain && args.domain.kind !== 'true' ? printDomain(args.domain) : undefined;
  const since = args.since ?? undefined;
  if (since !== undefined && (since === '' || since.length > MAX_CURSOR_LENGTH)) {
    throw badUserInput(`'since' must be a cursor given by a change (1 to ${MAX_CURSOR_LENGTH} characters)`);
  }
  const { gateway } = context;
  const tracker = context.subscriptions ?? new SubscriptionTracker();
  const base = { ...(domain !== undefined && { domain }), ...(fields && { fields }) };
  const release = tracker.acquire(callerKey(gateway), transport, context.subscriptionConnection);
  try {
    const cursor = since ?? (await gateway.changes(slug, base)).cursor;
    const stream = new ChangeStream({
      cursor,
      waitS: tracker.limits.waitS,
      queueSize: tracker.limits.queueSize,
      poll: (from, wait, signal) => gateway.changes(slug, { ...base, since: from, ...(wait > 0 && { wait }) }, signal),
      onEnd: release,
      onDelivered: (count) => tracker.delivered(transport, count),
      share: { feeds: tracker.feeds, key: feedKey(gateway, slug, domain, fields) },
      // Over SSE the gateway carries the request's signal: its group polls through another member if it can.
      ownSignal: transport === 'sse',
    });
    tracker.track(stream);
    return stream;
  } catch (error) {
    release('error');
    if (error instanceof GatewayError) throw errorOf(error);
    throw error;
  }
}
