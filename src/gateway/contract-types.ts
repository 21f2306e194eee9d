/**
 * The REST contract's answers as types (docs/rest-contract.md), and the small checks that a gateway's answer has
 * that shape before anything downstream relies on it.
 */
import type { SessionInfo } from '../backends/backend.js';
import { gatewayFailure, type GatewayError } from './gateway-error.js';

/** A record in the contract's shape: Odoo's read() with many2one expanded to `{id, name}` or `false`. */
/** The contract's page size when a list gives no `limit` (docs/rest-contract.md, "List"). */
export const DEFAULT_LIMIT = 80;

export type ContractRecord = { id: number } & Record<string, unknown>;

/** `GET /api/<slug>`: one page of records. */
export interface RecordPage {
  readonly count: number;
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
  readonly results: ContractRecord[];
}

/** `POST /api/<slug>` and `PUT /api/<slug>/<id>`. */
export interface RecordPayload {
  readonly id: number;
  readonly record: ContractRecord;
}

/** `POST /api/<slug>/<id>/<method>`: a business action's return value and the record read back. */
export interface ActionPayload {
  readonly id: number;
  readonly result: unknown;
  readonly record: ContractRecord;
}

/** `DELETE /api/<slug>/<id>`. */
export interface DeleteResult {
  readonly ok: boolean;
}

/** `GET /api/health`. */
export interface HealthStatus {
  readonly status: string;
}

/** One field of `GET /api/<slug>/fields` (extension): Odoo's `fields_get` attributes. */
export interface ContractFieldMeta {
  readonly type: string;
  readonly string?: string;
  readonly required?: boolean;
  readonly readonly?: boolean;
  readonly relation?: string;
  readonly selection?: ReadonlyArray<readonly [string, string]>;
  readonly help?: string;
  /** The fields a computed value follows; for `display_name`, the field the record's display name shows. */
  readonly depends?: readonly string[];
}

/** `GET /api/<slug>/fields`: field name to metadata, the fields the caller may read. */
export type FieldsMetadata = Readonly<Record<string, ContractFieldMeta>>;

/** Query parameters of `GET /api/<slug>`; absent ones are not sent, so the gateway's defaults apply. */
export interface ListQueryParams {
  /** A domain in Python-literal form (`[('state', '=', 'sale')]`). */
  readonly domain?: string;
  readonly fields?: readonly string[];
  readonly limit?: number;
  readonly offset?: number;
  readonly order?: string;
}

/** What a change feed entry says happened to a record (docs/rest.md, "Change feed"). */
export type ChangeOp = 'created' | 'updated' | 'removed';

/** One entry of `GET /api/<slug>/changes`: `record` (the asked fields) for `created` and `updated`. */
export interface ContractChange {
  readonly op: ChangeOp;
  readonly id: number;
  readonly record?: ContractRecord;
}

/** `GET /api/<slug>/changes`: the changes since the cursor asked, and the cursor to go on from. */
export interface ChangesPage {
  readonly cursor: string;
  readonly changes: readonly ContractChange[];
  /** More changes wait: ask again at once with `cursor`. */
  readonly more: boolean;
}

/** Query parameters of `GET /api/<slug>/changes`; absent ones are not sent. */
export interface ChangesQueryParams {
  readonly domain?: string;
  readonly fields?: readonly string[];
  /** The cursor of the last answer; omitted: just the current cursor. */
  readonly since?: string;
  readonly limit?: number;
  /** Seconds to hold the request when there is nothing to tell (long polling). */
  readonly wait?: number;
}

function badShape(what: string): GatewayError {
  return gatewayFailure('BAD_ANSWER', `sent an answer that is not ${what}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isRecord(value: unknown): value is ContractRecord {
  return isObject(value) && Number.isSafeInteger(value.id);
}

export function asRecordPage(body: unknown): RecordPage {
  if (
    isObject(body) &&
    typeof body.count === 'number' &&
    typeof body.total === 'number' &&
    typeof body.limit === 'number' &&
    typeof body.offset === 'number' &&
    Array.isArray(body.results) &&
    body.results.every(isRecord)
  ) {
    return body as unknown as RecordPage;
  }
  throw badShape('a page of records {count, total, limit, offset, results}');
}

export function asRecord(body: unknown): ContractRecord {
  if (isRecord(body)) return body;
  throw badShape('a record with an integer id');
}

export function asRecordPayload(body: unknown): RecordPayload {
  if (isObject(body) && Number.isSafeInteger(body.id) && isRecord(body.record)) return body as unknown as RecordPayload;
  throw badShape('{id, record}');
}

export function asActionPayload(body: unknown): ActionPayload {
  if (isObject(body) && Number.isSafeInteger(body.id) && 'result' in body && isRecord(body.record)) return body as unknown as ActionPayload;
  throw badShape('{id, result, record}');
}

export function asDeleteResult(body: unknown): DeleteResult {
  if (isObject(body) && typeof body.ok === 'boolean') return body as unknown as DeleteResult;
  throw badShape('{ok}');
}

export function asHealthStatus(body: unknown): HealthStatus {
  if (isObject(body) && typeof body.status === 'string') return body as unknown as HealthStatus;
  throw badShape('{status}');
}

export function asFieldsMetadata(body: unknown): FieldsMetadata {
  if (isObject(body) && Object.values(body).every((meta) => isObject(meta) && typeof meta.type === 'string'))
    return body as unknown as FieldsMetadata;
  throw badShape('field metadata {<field>: {type, string, ...}}');
}

const CHANGE_OPS: ReadonlySet<unknown> = new Set(['created', 'updated', 'removed']);

function isChange(value: unknown): value is ContractChange {
  return (
    isObject(value) && CHANGE_OPS.has(value.op) && Number.isSafeInteger(value.id) && (value.record === undefined || isRecord(value.record))
  );
}

export function asChangesPage(body: unknown): ChangesPage {
  if (isObject(body) && typeof body.cursor === 'string' && Array.isArray(body.changes) && body.changes.every(isChange))
    return { cursor: body.cursor, changes: body.changes, more: body.more === true };
  throw badShape('a change feed answer {cursor, changes, more}');
}

/** `/web/session/get_session_info`'s `result`: Odoo 17's session info (SessionInfo, src/backends/backend.ts). */
export function asSessionInfo(body: unknown): SessionInfo {
  if (
    isObject(body) &&
    Number.isSafeInteger(body.uid) &&
    typeof body.name === 'string' &&
    typeof body.username === 'string' &&
    typeof body.db === 'string'
  ) {
    return body as SessionInfo;
  }
  throw badShape('session info {uid, name, username, db, ...}');
}
