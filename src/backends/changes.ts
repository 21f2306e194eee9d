/**
 * The change feed of a model (issue 19, docs/rest.md "Change feed"): what `Backend.changes` takes and
 * answers, and the failures the REST route turns into statuses of their own (400, 410). Backend-neutral:
 * the embedded store answers it from its change log (src/backends/embedded/store-changes.ts); in front of
 * Odoo it comes from polling (src/backends/odoo/odoo-changes.ts).
 *
 *   changes(caller, 'crm.lead', { domain, fields: ['name'], since: 'YzEu...' })
 *   → { cursor: 'YzEu...', changes: [{ op: 'updated', id: 7, record: { id: 7, name: '...' } }], more: false }
 *
 * A cursor is opaque: the client hands back the `cursor` of the last answer as `since`.
 */
import type { DomainNode } from '../domain/types.js';
import type { OdooRecord } from './backend.js';

/** Records in a feed answer when the request does not say (the REST route clamps it to MAX_LIMIT). */
export const DEFAULT_CHANGES_LIMIT = 500;

export interface ChangesParams {
  /** Only records matching it (and the caller's rules, and `active` unless it mentions it) are reported as created or updated. */
  readonly domain: DomainNode;
  /** The fields of each record reported; undefined: every field the caller may read except binary ones. */
  readonly fields?: readonly string[];
  /** A cursor from an earlier answer; undefined: no changes, just the current cursor. */
  readonly since?: string;
  /** At most this many records in the answer (then `more`). */
  readonly limit?: number;
  /** Seconds to hold the request until a change is there to report (long polling); 0 or undefined: answer at once. */
  readonly wait?: number;
  /** Aborted when the client went away: a waiting request answers at once (nothing is sent). */
  readonly signal?: AbortSignal;
}

export type ChangeOp = 'created' | 'updated' | 'removed';

export interface RecordChange {
  /** `created`: new to the caller's view (created, or entered the domain or the rules); `updated`: still in it, changed; `removed`: left it. */
  readonly op: ChangeOp;
  readonly id: number;
  /** The record's latest state, in Odoo's read() shape with the asked fields (created and updated only). */
  readonly record?: OdooRecord;
  /**
   * The cursor right after this change, when the backend can tell one per change (the embedded store):
   * resuming from it neither repeats this change nor skips a later one. The server-sent events' `id`.
   * Without it, only the answer's `cursor` (after its last change) is a place to resume from.
   */
  readonly cursor?: string;
}

export interface ChangesResult {
  /** Give it back as `since` to get what changed after this answer. */
  readonly cursor: string;
  /** One entry per record (several changes of one record coalesced into its latest state), oldest change first. */
  readonly changes: readonly RecordChange[];
  /** True when more changes are there: ask again at once with `cursor`. */
  readonly more: boolean;
}

/** The cursor is older than the change log keeps, or is of another database (recreated, reset): the client reloads (410). */
export class CursorGoneError extends Error {
  override readonly name = 'CursorGoneError';
}

/** `since` is not a cursor this API gave (400, naming the parameter). */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}
