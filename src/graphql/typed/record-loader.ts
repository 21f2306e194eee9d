/**
 * The records of one GraphQL operation, per model: what the gateway has answered so far (merged by id,
 * so a record read once with some fields is reused for any selection those fields cover), and a DataLoader
 * that gathers every record the resolvers of one level ask for into one `GET /api/<slug>?domain=[('id',
 * 'in', [...])]` with the union of the fields they need. Everything lives as long as the operation (the
 * request's RestGateway), and is forgotten after a write, whose effects the store may not show.
 *
 * Field-level permissions: a read that names a field the caller may not read fails as a whole (Odoo's
 * AccessError, 403). On a 403 or 400 the caller's own field list is asked (`GET /api/<slug>/fields`,
 * once per model and operation); the fields it lacks are remembered as forbidden and the read is made
 * again without them, so only those fields resolve to an error. The normal case costs no extra request.
 */
import DataLoader from 'dataloader';
import type { ContractRecord, ListQueryParams, RecordPage } from '../../gateway/contract-types.js';
import { GatewayError } from '../../gateway/gateway-error.js';
import type { RestGateway } from '../../gateway/rest-gateway.js';
import type { TypedModel } from './read-typed-models.js';

/** Most ids in one request (the URL stays well under 8 KiB); more make more requests of one batch. */
const MAX_IDS_PER_REQUEST = 500;

interface RecordKey {
  readonly id: number;
  /** Sorted field names. */
  readonly fields: readonly string[];
}

/** `[('id', 'in', [...])]`, archived records included where the model has `active` (a link may point at one). */
export function idDomain(ids: readonly number[], hasActive: boolean): string {
  const terms = [`('id', 'in', [${ids.join(', ')}])`];
  if (hasActive) terms.push("('active', 'in', [True, False])");
  return `[${terms.join(', ')}]`;
}

function refusedForFields(error: unknown): error is GatewayError {
  return error instanceof GatewayError && error.code === 'GATEWAY_HTTP_ERROR' && (error.status === 403 || error.status === 400);
}

export class ModelRecords {
  /** Fields this caller may not read (field name to the reason), learnt from the gateway. */
  readonly forbidden = new Map<string, string>();
  readonly #records = new Map<number, ContractRecord>();
  readonly #loader: DataLoader<RecordKey, ContractRecord | null, string>;

  constructor(
    private readonly gateway: RestGateway,
    readonly model: TypedModel,
  ) {
    this.#loader = new DataLoader((keys) => this.#batch(keys), {
      cacheKeyFn: (key) => `${key.id}:${key.fields.join(',')}`,
      maxBatchSize: MAX_IDS_PER_REQUEST,
    });
  }

  /** Merges a record the gateway gave into what is known of it; returns the merged record. */
  remember(record: ContractRecord): ContractRecord {
    const known = this.#records.get(record.id);
    if (!known) {
      const copy = { ...record };
      this.#records.set(record.id, copy);
      return copy;
    }
    return Object.assign(known, record);
  }

  forget(): void {
    this.#records.clear();
    this.#loader.clearAll();
  }

  /**
   * The record with at least these fields (those the caller may read) when it is already known, without
   * waiting: a relation read ahead (prefetch.ts) resolves its records at once. Undefined otherwise.
   */
  known(id: number, fields: readonly string[]): ContractRecord | undefined {
    const known = this.#records.get(id);
    if (!known) return undefined;
    for (const field of fields) {
      if (!(field in known) && !this.forbidden.has(field)) return undefined;
    }
    return known;
  }

  /**
   * The record with at least these fields (those the caller may read), from what is known or in the
   * level's batch; null when the gateway does not give it (a record rule hides it).
   */
  load(id: number, fields: readonly string[]): Promise<ContractRecord | null> {
    const wanted = this.forbidden.size === 0 ? fields : fields.filter((field) => !this.forbidden.has(field));
    const known = this.#records.get(id);
    const missing = known ? wanted.filter((field) => !(field in known)) : wanted;
    if (known && missing.length === 0) return Promise.resolve(known);
    // Only the id is asked: the link itself says the record is there, no request needed.
    if (!known && wanted.length === 0) return Promise.resolve({ id });
    return this.#loader.load({ id, fields: missing });
  }

  /** Several records (an x2many), in the order of `ids`; those the gateway does not give are left out. */
  async loadMany(ids: readonly number[], fields: readonly string[]): Promise<ContractRecord[]> {
    const records = await Promise.all(ids.map((id) => this.load(id, fields)));
    return records.filter((record): record is ContractRecord => record !== null);
  }

  /** `GET /api/<slug>` with these fields (and `id`); the records are remembered. */
  async list(params: Omit<ListQueryParams, 'fields'>, fields: readonly string[]): Promise<RecordPage> {
    const page = await this.#readable(fields, (asked) => this.gateway.list(this.model.slug, { ...params, fields: asked }));
    return { ...page, results: page.results.map((record) => this.remember(record)) };
  }

  /** `GET /api/<slug>/<id>` with these fields; 404 and 403 are the gateway's. */
  async read(id: number, fields: readonly string[]): Promise<ContractRecord> {
    return this.remember(await this.#readable(fields, (asked) => this.gateway.read(this.model.slug, id, asked)));
  }

  /** A record the gateway gave whole (after a write), completed with the fields it lacks (binary ones). */
  async complete(record: ContractRecord, fields: readonly string[]): Promise<ContractRecord> {
    const merged = this.remember(record);
    return (await this.load(merged.id, fields)) ?? merged;
  }

  /**
   * The batch's records. A failed read fails every key of the batch with the same error, kept for the
   * operation (as DataLoader keeps an `Error` value): a relation read ahead (prefetch.ts) that failed is
   * not asked again by each record's resolver, which gets the error it would have got.
   */
  async #batch(keys: readonly RecordKey[]): Promise<Array<ContractRecord | null | Error>> {
    try {
      return await this.#readBatch(keys);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      return keys.map(() => error);
    }
  }

  async #readBatch(keys: readonly RecordKey[]): Promise<Array<ContractRecord | null>> {
    const ids = [...new Set(keys.map((key) => key.id))].sort((a, b) => a - b);
    const fields = [...new Set(keys.flatMap((key) => key.fields))].sort();
    await this.#readable(fields, async (asked) => {
      const domain = idDomain(ids, this.model.hasActive);
      // A gateway whose page limit is below the number of ids answers in pages.
      for (let offset = 0; ;) {
        // By id: the model's own order (a many2one's comodel order, say) would cost the gateway a join for nothing.
        const page = await this.gateway.list(this.model.slug, {
          domain,
          fields: asked,
          limit: ids.length,
          order: 'id',
          ...(offset > 0 && { offset }),
        });
        for (const record of page.results) this.remember(record);
        offset += page.results.length;
        if (page.results.length === 0 || offset >= page.total) return;
      }
    });
    return keys.map((key) => this.#records.get(key.id) ?? null);
  }

  /**
   * Runs a read with the fields not known to be forbidden (`id` alone when none is left). When the gateway
   * refuses it (403, or 400 for a field it does not know), asks which fields the caller may read: if some
   * asked ones are not among them, they become forbidden and the read is made once more without them.
   * Otherwise (a hidden record, a model the caller may not read) the refusal stands.
   */
  async #readable<T>(fields: readonly string[], read: (fields: string[]) => Promise<T>): Promise<T> {
    const asked = () => {
      const allowed = fields.filter((field) => !this.forbidden.has(field));
      return allowed.length ? allowed : ['id'];
    };
    const first = asked();
    try {
      return await read(first);
    } catch (error) {
      if (!refusedForFields(error)) throw error;
      const visible = await this.gateway.fields(this.model.slug).catch(() => undefined);
      const hidden = first.filter((field) => field !== 'id' && visible !== undefined && !Object.hasOwn(visible, field));
      if (hidden.length === 0) throw error;
      for (const field of hidden) this.forbidden.set(field, `You are not allowed to read the field '${field}' of ${this.model.model}.`);
      return read(asked());
    }
  }
}

/** The records of one operation, one `ModelRecords` per model, made on first use. */
export class OperationRecords {
  readonly #models = new Map<string, ModelRecords>();

  constructor(readonly gateway: RestGateway) {}

  of(model: TypedModel): ModelRecords {
    let records = this.#models.get(model.model);
    if (!records) {
      records = new ModelRecords(this.gateway, model);
      this.#models.set(model.model, records);
    }
    return records;
  }

  /** After a write: what was read before may have changed (computed fields of other models too). */
  forgetAll(): void {
    for (const records of this.#models.values()) records.forget();
  }
}

const OPERATIONS = new WeakMap<RestGateway, OperationRecords>();

/** The operation's records; the request's RestGateway (one per operation, context.ts) is their key. */
export function operationRecords(gateway: RestGateway): OperationRecords {
  let records = OPERATIONS.get(gateway);
  if (!records) {
    records = new OperationRecords(gateway);
    OPERATIONS.set(gateway, records);
  }
  return records;
}
