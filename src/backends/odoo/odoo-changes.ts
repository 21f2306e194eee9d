/**
 * The change feed in front of Odoo (issue 19; docs/rest.md, "Change feed", "In front of Odoo"). Odoo keeps
 * no change log, so the feed polls, as the caller:
 *
 *   search_read(model, domain, fields=['write_date'], order='id')   → the domain's ids and their write_date
 *   read(model, <ids created or changed>, fields)                    → only when something changed
 *
 * and compares with a snapshot of the previous poll, kept in this process: an id that appeared is
 * `created`, one whose write_date moved (or, written in the last seconds, whose record differs from the one
 * told) is `updated`, one that is gone (deleted, archived, left the domain or the caller's rules) is
 * `removed`. What the caller cannot read never shows in a search_read as the caller, so he never learns of
 * it; an id told `removed` is one the previous snapshot (his own view) held.
 *
 * Why one search_read of the whole domain rather than `write_date > last`: the removals need the domain's id
 * set at every poll anyway, and with the write_date of each id in the same answer, a change is any
 * write_date that differs from the snapshot's, whatever its time: no boundary to guess at, and a write
 * committed late by a long transaction (Odoo stamps write_date when the transaction starts, so such a
 * record may carry a write_date older than others already seen) is not lost. One call per poll while
 * nothing changes, a second one (a read of the changed ids) when something did.
 *
 * Odoo's write_date has second precision: a record written twice within one second keeps its write_date.
 * Records whose write_date is within SETTLE_MS of the poll ("unsettled") are remembered with a hash of the
 * record told, read again at the next poll and told again only when the record differs: nothing lost in
 * the second of a cursor, nothing told twice (de-duplicated by id, write_date and content).
 *
 * The cursor is the key of a snapshot in this process (`base64url({"v":1,"s":"<key>"})`): an id set with
 * write dates is too big for a cursor the client hands back. The snapshots are immutable (a cursor can be
 * resumed any number of times), bounded in number of ids held (SNAPSHOT_IDS) and age (SNAPSHOT_TTL_MS), the
 * least recently used dropped first. A cursor this process does not hold (another instance behind a load
 * balancer, a restart, dropped) or of another feed (another user, model, domain or fields) is a 410: the
 * client reloads. While nothing changes the cursor stays the same.
 *
 * Long polling polls every `pollMs` (CHANGES_ODOO_POLL_MS); waiters with the same caller (the same Odoo
 * credential), model, domain, fields and cursor share each poll (one in flight, its answer reused for
 * `pollMs`), so a thousand clients of one dashboard cost one poll per interval.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DomainNode } from '../../domain/types.js';
import type { Caller, OdooRecord } from '../backend.js';
import {
  CursorGoneError,
  DEFAULT_CHANGES_LIMIT,
  InvalidCursorError,
  type ChangesParams,
  type ChangesResult,
  type RecordChange,
} from '../changes.js';

/** A record written this recently (by the poll's clock) may be written again within the same second of write_date. */
export const SETTLE_MS = 5000;
/** Ids the snapshots of the process hold at most, together (the least recently used go first). */
export const SNAPSHOT_IDS = 2_000_000;
/** A snapshot not used for this long is dropped (its cursor is then a 410). */
export const SNAPSHOT_TTL_MS = 3_600_000;

/** What the feed asks Odoo, as the caller (the Odoo backend's own calls). */
export interface OdooFeedCalls {
  /** `search_read(model, domain, ['write_date'], order='id')`: every id of the domain with its write_date. */
  readonly scan: (caller: Caller, model: string, domain: DomainNode) => Promise<readonly OdooRecord[]>;
  /** `read(model, ids, fields)` (the backend's read: without fields, those the caller may read). */
  readonly read: (caller: Caller, model: string, ids: readonly number[], fields?: readonly string[]) => Promise<OdooRecord[]>;
  /** Who is asking, as Odoo sees it (the credential): polls are shared only between the same. */
  readonly callerKey: (caller: Caller) => string;
}

export interface OdooFeedOptions {
  readonly pollMs: number;
  readonly now?: () => number;
  readonly snapshotIds?: number;
  readonly snapshotTtlMs?: number;
}

interface Snapshot {
  readonly key: string;
  /** The user, model, domain and fields it is of. */
  readonly feed: string;
  /** Every id of the domain at the poll, with its write_date. */
  readonly ids: ReadonlyMap<number, string>;
  /** Ids written within SETTLE_MS of the poll: a hash of the record told (or seen) then. */
  readonly unsettled: ReadonlyMap<number, string>;
  used: number;
}

interface Poll {
  readonly result: ChangesResult;
  readonly startedAt: number;
}

function cursorOf(snapshot: Snapshot): string {
  return Buffer.from(JSON.stringify({ v: 1, s: snapshot.key })).toString('base64url');
}

function snapshotKeyOf(text: string): string {
  let parsed: unknown;
  try {
    parsed = /^[A-Za-z0-9_-]{1,200}$/.test(text) ? JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  const key = (parsed as { v?: unknown; s?: unknown } | undefined)?.s;
  if ((parsed as { v?: unknown } | undefined)?.v !== 1 || typeof key !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(key)) {
    throw new InvalidCursorError(
      `query parameter 'since': '${text.slice(0, 40)}' is not a cursor of this API: give back the 'cursor' of an earlier answer`,
    );
  }
  return key;
}

function writeDateOf(record: OdooRecord): string {
  return typeof record.write_date === 'string' ? record.write_date : '';
}

/** Odoo's `YYYY-MM-DD HH:MM:SS` (UTC) as epoch milliseconds; NaN when it is none. */
function epochOf(writeDate: string): number {
  return Date.parse(`${writeDate.replace(' ', 'T')}Z`);
}

function hashOf(record: OdooRecord): string {
  return createHash('sha256').update(JSON.stringify(record)).digest('base64url').slice(0, 22);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export class OdooChangeFeed {
  readonly #calls: OdooFeedCalls;
  readonly #pollMs: number;
  readonly #now: () => number;
  readonly #maxIds: number;
  readonly #ttlMs: number;
  /** The snapshots by key, least recently used first. */
  readonly #snapshots = new Map<string, Snapshot>();
  #heldIds = 0;
  /** Polls in flight or answered less than pollMs ago, by caller, feed and cursor. */
  readonly #polls = new Map<string, { readonly promise: Promise<Poll>; readonly startedAt: number; done: boolean }>();

  constructor(calls: OdooFeedCalls, options: OdooFeedOptions) {
    this.#calls = calls;
    this.#pollMs = options.pollMs;
    this.#now = options.now ?? Date.now;
    this.#maxIds = options.snapshotIds ?? SNAPSHOT_IDS;
    this.#ttlMs = options.snapshotTtlMs ?? SNAPSHOT_TTL_MS;
  }

  /** Snapshots held now (tests, metrics). */
  get snapshots(): number {
    return this.#snapshots.size;
  }

  /** Backend.changes in front of Odoo (see the file's comment). */
  async changes(caller: Caller, model: string, params: ChangesParams): Promise<ChangesResult> {
    const feed = JSON.stringify([caller.uid, model, params.domain, params.fields ?? null, caller.context ?? null]);
    const limit = params.limit ?? DEFAULT_CHANGES_LIMIT;
    if (params.since === undefined) {
      const snapshot = await this.#first(caller, model, feed, params);
      return { cursor: cursorOf(snapshot), changes: [], more: false };
    }
    const key = snapshotKeyOf(params.since);
    const deadline = this.#now() + Math.max(0, params.wait ?? 0) * 1000;
    let since = this.#snapshot(key, feed);
    for (;;) {
      const shared = `${this.#calls.callerKey(caller)}\0${feed}\0${since.key}\0${limit}`;
      const poll = await this.#shared(shared, (params.wait ?? 0) > 0, () => this.#poll(caller, model, feed, params, since, limit));
      const { result } = poll;
      if (result.changes.length || result.more || params.signal?.aborted) return result;
      const next = poll.startedAt + this.#pollMs;
      if (next >= deadline) return result;
      since = this.#snapshot(snapshotKeyOf(result.cursor), feed);
      await sleep(next - this.#now(), params.signal);
      if (params.signal?.aborted) return result;
    }
  }

  /**
   * One poll per key at a time; its answer is reused by waiters (long polling) asking within pollMs of its
   * start, while a request that does not wait only joins a poll in flight.
   */
  #shared(key: string, reuse: boolean, run: () => Promise<ChangesResult>): Promise<Poll> {
    const known = this.#polls.get(key);
    const startedAt = this.#now();
    if (known && (!known.done || (reuse && known.startedAt + this.#pollMs > startedAt))) return known.promise;
    const entry = { promise: run().then((result) => ({ result, startedAt })), startedAt, done: false };
    this.#polls.set(key, entry);
    const forget = () => {
      if (this.#polls.get(key) === entry) this.#polls.delete(key);
    };
    entry.promise.then(() => {
      entry.done = true;
      setTimeout(forget, Math.max(0, startedAt + this.#pollMs - this.#now())).unref();
    }, forget);
    return entry.promise;
  }

  /** The snapshot of a cursor, for this feed; a 410 when this process does not hold it. */
  #snapshot(key: string, feed: string): Snapshot {
    this.#expire();
    const snapshot = this.#snapshots.get(key);
    if (!snapshot) {
      throw new CursorGoneError(
        'the cursor is not known to this server (it polls Odoo and keeps its cursors in memory: another instance, a restart, or too old): reload the records, then follow the changes from a new cursor',
      );
    }
    if (snapshot.feed !== feed) {
      throw new CursorGoneError(
        'the cursor is of another feed (another user, model, domain or fields): reload the records, then follow the changes from a new cursor',
      );
    }
    snapshot.used = this.#now();
    this.#snapshots.delete(key);
    this.#snapshots.set(key, snapshot);
    return snapshot;
  }

  #keep(feed: string, ids: ReadonlyMap<number, string>, unsettled: ReadonlyMap<number, string>): Snapshot {
    const snapshot: Snapshot = { key: randomBytes(12).toString('base64url'), feed, ids, unsettled, used: this.#now() };
    this.#snapshots.set(snapshot.key, snapshot);
    this.#heldIds += ids.size + 1;
    for (const [key, oldest] of this.#snapshots) {
      if (this.#heldIds <= this.#maxIds || key === snapshot.key) break;
      this.#drop(key, oldest);
    }
    return snapshot;
  }

  #drop(key: string, snapshot: Snapshot): void {
    this.#snapshots.delete(key);
    this.#heldIds -= snapshot.ids.size + 1;
  }

  #expire(): void {
    const before = this.#now() - this.#ttlMs;
    for (const [key, snapshot] of this.#snapshots) {
      if (snapshot.used >= before) break;
      this.#drop(key, snapshot);
    }
  }

  #isUnsettled(writeDate: string, at: number): boolean {
    const epoch = epochOf(writeDate);
    return !Number.isFinite(epoch) || epoch >= at - SETTLE_MS;
  }

  /** The first snapshot of a feed (no `since`): the ids now, and the hashes of those written in the last seconds. */
  async #first(caller: Caller, model: string, feed: string, params: ChangesParams): Promise<Snapshot> {
    const at = this.#now();
    const rows = await this.#calls.scan(caller, model, params.domain);
    const ids = new Map(rows.map((r) => [r.id, writeDateOf(r)]));
    const recent = [...ids].filter(([, writeDate]) => this.#isUnsettled(writeDate, at)).map(([id]) => id);
    // The fields are checked whether or not a record was written lately (400, 403 as for a read).
    const records = await this.#calls.read(caller, model, recent.length ? recent : rows.slice(0, 1).map((r) => r.id), params.fields);
    const unsettled = new Map(records.filter((r) => recent.includes(r.id)).map((r) => [r.id, hashOf(r)]));
    return this.#keep(feed, ids, unsettled);
  }

  async #poll(caller: Caller, model: string, feed: string, params: ChangesParams, since: Snapshot, limit: number): Promise<ChangesResult> {
    const at = this.#now();
    const rows = await this.#calls.scan(caller, model, params.domain);
    const now = new Map(rows.map((r) => [r.id, writeDateOf(r)]));
    const removed = [...since.ids.keys()].filter((id) => !now.has(id));
    // Created, written since (another write_date), or written lately and maybe again in the same second.
    const candidates = [...now].filter(([id, writeDate]) => since.ids.get(id) !== writeDate || since.unsettled.has(id)).map(([id]) => id);
    const records = candidates.length ? await this.#calls.read(caller, model, candidates, params.fields) : [];
    const byId = new Map(records.map((r) => [r.id, r]));
    const changes: (RecordChange & { writeDate: string })[] = [];
    for (const id of candidates) {
      const record = byId.get(id);
      const writeDate = now.get(id)!;
      if (!record) {
        // Gone between the search and the read: a removal when it was in the snapshot.
        if (since.ids.has(id)) removed.push(id);
        continue;
      }
      if (!since.ids.has(id)) changes.push({ op: 'created', id, record, writeDate });
      else if (since.ids.get(id) !== writeDate || since.unsettled.get(id) !== hashOf(record))
        changes.push({ op: 'updated', id, record, writeDate });
    }
    changes.sort((a, b) => (a.writeDate < b.writeDate ? -1 : a.writeDate > b.writeDate ? 1 : a.id - b.id));
    const all: (RecordChange & { writeDate?: string })[] = [...changes, ...removed.map((id) => ({ op: 'removed' as const, id }))];
    const given = all.slice(0, limit);
    const more = all.length > limit;
    // The next snapshot: the previous one with the changes given applied (those left for `more` stay as they were).
    const ids = new Map(since.ids);
    const unsettled = new Map([...since.unsettled].filter(([id]) => now.has(id) && this.#isUnsettled(now.get(id)!, at)));
    for (const change of given) {
      if (change.op === 'removed') {
        ids.delete(change.id);
        unsettled.delete(change.id);
      } else {
        ids.set(change.id, change.writeDate!);
        if (this.#isUnsettled(change.writeDate!, at)) unsettled.set(change.id, hashOf(change.record!));
      }
    }
    // Unsettled records read again and found the same: their hash stays; settled ones leave the list.
    const same = given.length === 0 && unsettled.size === since.unsettled.size;
    const next = same ? since : this.#keep(feed, ids, unsettled);
    return { cursor: cursorOf(next), changes: given.map(({ op, id, record }) => (record ? { op, id, record } : { op, id })), more };
  }
}
