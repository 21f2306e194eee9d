/**
 * The embedded Odoo-like store: search, read, create, write and unlink over SQLite, as a given user
 * (or as the superuser, for demo data), with access rights, record rules, defaults, sequences, stored
 * computes (following changes through many2one fields), constraints, the models' create and write hooks
 * and Odoo 17's deletion rules. Synchronous (better-sqlite3); every public write runs in one transaction,
 * so a request either fully succeeds or changes nothing.
 *
 * The facade of its parts: statements and revision (store-statements.ts), access checks (store-access.ts),
 * reads (store-read.ts), writes (store-write.ts) and stored computes (stored-computes.ts).
 */
import type { Statement } from 'better-sqlite3';
import type { DomainNode } from '../../domain/types.js';
import type { OdooRecord, SearchPage } from '../backend.js';
import type { ReadGroupParams, ReadGroupResult } from '../read-group.js';
import type { SqliteDatabase } from './database.js';
import { translationLang } from './i18n/languages.js';
import { isTranslated, type Registry } from './registry.js';
import { StoreAccess, type Actor } from './store-access.js';
import { StoreGrouper } from './store-group.js';
import { StoreReader, type StoreSearchOptions } from './store-read.js';
import { DEFAULT_STATEMENT_CACHE_BYTES, StoreStatements } from './store-statements.js';
import { StoreWriter } from './store-write.js';
import { StoredComputes } from './stored-computes.js';
import type { StatementCacheStats } from './sql/statement-cache.js';
import type { SqlFragment } from './sql/sql-fragment.js';

export type { Actor } from './store-access.js';
export type { StoreSearchOptions } from './store-read.js';
export { DEFAULT_STATEMENT_CACHE_BYTES } from './store-statements.js';

export interface StoreOptions {
  /** Budget of the statement cache, in estimated bytes. */
  readonly statementCacheBytes?: number;
}

export class Store {
  readonly #statements: StoreStatements;
  readonly #reader: StoreReader;
  readonly #writer: StoreWriter;
  readonly #grouper: StoreGrouper;
  readonly #access: StoreAccess;

  constructor(
    readonly db: SqliteDatabase,
    readonly registry: Registry,
    options: StoreOptions = {},
  ) {
    this.#statements = new StoreStatements(db, options.statementCacheBytes ?? DEFAULT_STATEMENT_CACHE_BYTES);
    const access = (this.#access = new StoreAccess(this.#statements, registry));
    this.#reader = new StoreReader(this.#statements, registry, access);
    const computes = new StoredComputes(this.#statements, registry, this.#reader);
    this.#writer = new StoreWriter(this.#statements, registry, access, this.#reader, computes);
    this.#grouper = new StoreGrouper(this.#statements, registry, access, this.#reader);
  }

  // ---------------------------------------------------------------- statements and revision

  /**
   * A prepared statement for `text` (rows as objects), reused from a cache sized in bytes once the same SQL
   * is seen twice (statements are prepared once, as better-sqlite3 advises; one-off domain shapes are not kept).
   */
  statement(text: string): Statement {
    return this.#statements.statement(text);
  }

  /** What the statement cache holds (one cache for both forms of rows: objects, and arrays for the read path). */
  statementCacheStats(): StatementCacheStats {
    return this.#statements.cacheStats();
  }

  /** A token that changes whenever the database may have changed (see StoreStatements.revision). */
  revision(): string {
    return this.#statements.revision();
  }

  /** A token of the committed data, undefined in a transaction (see StoreStatements.committedDataToken). */
  committedDataToken(): string | undefined {
    return this.#statements.committedDataToken();
  }

  /** SQLite's data version: it moves only when another connection commits (see StoreStatements.foreignVersion). */
  foreignVersion(): number {
    return this.#statements.foreignVersion();
  }

  /** Runs `fn` in a transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.#statements.transaction(fn);
  }

  /** Runs `fn`, which only reads, on one snapshot without the write lock (see StoreStatements.readTransaction). */
  readTransaction<T>(fn: () => T): T {
    return this.#statements.readTransaction(fn);
  }

  // ---------------------------------------------------------------- search and read

  search(actor: Actor, modelName: string, domain: DomainNode, options: StoreSearchOptions = {}): number[] {
    return this.#reader.search(actor, modelName, domain, options);
  }

  searchCount(actor: Actor, modelName: string, domain: DomainNode): number {
    return this.#reader.searchCount(actor, modelName, domain);
  }

  /**
   * The SQL WHERE of a search of `modelName` as `actor` over rows aliased `t` (the domain, `active`, the
   * read rules): the change feed (store-changes.ts) runs it over logged rows. Checks the model's access right.
   */
  searchWhere(actor: Actor, modelName: string, domain: DomainNode): SqlFragment {
    const model = this.registry.model(modelName);
    this.#access.checkAccess(model, 'read', actor);
    return this.#reader.searchWhere(model, domain, actor);
  }

  /** Grouped totals (Odoo's read_group, store-group.ts): one GROUP BY under the domain, `active` and the read rules. */
  readGroup(actor: Actor, modelName: string, params: ReadGroupParams): ReadGroupResult {
    return this.#grouper.readGroup(actor, modelName, params);
  }

  /** search + read in one SQL query for the rows, plus one query per relation to shape them. */
  searchRead(
    actor: Actor,
    modelName: string,
    domain: DomainNode,
    fields: readonly string[] | undefined,
    options: StoreSearchOptions = {},
  ): OdooRecord[] {
    return this.#reader.searchRead(actor, modelName, domain, fields, options);
  }

  /** A searchRead page and the count of every match, the search compiled once (StoreReader.searchPage). */
  searchPage(
    actor: Actor,
    modelName: string,
    domain: DomainNode,
    fields: readonly string[] | undefined,
    options: StoreSearchOptions = {},
  ): SearchPage {
    return this.#reader.searchPage(actor, modelName, domain, fields, options);
  }

  /** Reads records by id, in the order given; missing ids are left out, hidden ones raise AccessError. */
  read(actor: Actor, modelName: string, ids: readonly number[], fields?: readonly string[]): OdooRecord[] {
    return this.#reader.read(actor, modelName, ids, fields);
  }

  /**
   * Display names of records, read as superuser (Odoo shows the name of a related record the caller cannot
   * read), in `lang` (undefined, en_US or a language not installed: the en_US values).
   */
  displayNames(modelName: string, ids: readonly number[], lang?: string): Map<number, string> {
    return this.#reader.displayNames(modelName, ids, lang);
  }

  // ---------------------------------------------------------------- create, write, unlink

  /** Next value of a sequence (`S00001`), inside the current transaction. */
  nextSequence(code: string): string {
    return this.#writer.nextSequence(code);
  }

  create(actor: Actor, modelName: string, values: Record<string, unknown>): number {
    return this.transaction(() => this.#writer.create(actor, this.registry.model(modelName), values));
  }

  write(actor: Actor, modelName: string, ids: readonly number[], values: Record<string, unknown>): void {
    this.transaction(() => this.#writer.write(actor, this.registry.model(modelName), ids, values));
  }

  unlink(actor: Actor, modelName: string, ids: readonly number[]): void {
    this.transaction(() => this.#writer.unlink(actor, this.registry.model(modelName), ids));
  }

  /**
   * Sets the `lang` value of a translatable field of a record, as the superuser (the demo data's French
   * values); the en_US value is the column's and is not changed here. Throws for a field that is not
   * translatable and for en_US or a language that is not installed.
   */
  setTranslation(modelName: string, id: number, fieldName: string, lang: string, value: string): void {
    const field = this.registry.model(modelName).fields.get(fieldName);
    if (!field || !isTranslated(field)) throw new Error(`${modelName}.${fieldName} is not a translatable field`);
    if (translationLang(lang) !== lang) throw new Error(`${lang} is not an installed language other than en_US`);
    this.transaction(() => this.#writer.setTranslation(field, [id], lang, value));
  }
}
