/**
 * The models an Odoo server actually has (`ir.model`), for resolving slugs (docs/rest-contract.md, "Slugs"):
 * `sale_order` and `sale.order` both name `sale.order`, and a model whose own name holds `_`
 * (`ir.actions.act_window`) resolves from its slug `ir_actions_act_window`, never by blind replacement.
 *
 * Cached for `ttlMs`; a slug not found triggers one refresh when the list is older than
 * `missRefreshMs` (a module installed meanwhile), so unknown slugs cannot make every request reload it.
 * Concurrent loads share one request.
 */
import type { ModelMeta } from '../backend.js';

export interface ModelRegistryOptions {
  /** How long a loaded list is used, in milliseconds. */
  readonly ttlMs: number;
  /** A miss reloads a list at least this old, in milliseconds. */
  readonly missRefreshMs: number;
  readonly now?: () => number;
}

export type ModelLoader = () => Promise<readonly ModelMeta[]>;

/** The slug of a model name: `.` replaced by `_`. */
export function slugOf(model: string): string {
  return model.replaceAll('.', '_');
}

export class ModelRegistry {
  #byName = new Map<string, ModelMeta>();
  #bySlug = new Map<string, ModelMeta>();
  #loadedAt = -Infinity;
  #loading: Promise<void> | undefined;
  readonly #now: () => number;

  constructor(private readonly options: ModelRegistryOptions) {
    this.#now = options.now ?? Date.now;
  }

  /**
   * The model named by `slug` (slug or dotted name), or undefined. `load` is called when the list is
   * missing, expired, or old enough to be refreshed on a miss; its failure rejects this call.
   */
  async resolve(slug: string, load: ModelLoader | undefined): Promise<ModelMeta | undefined> {
    const age = this.#now() - this.#loadedAt;
    if (age >= this.options.ttlMs) {
      await this.#refresh(load);
      return this.#lookup(slug);
    }
    const found = this.#lookup(slug);
    if (found || age < this.options.missRefreshMs || !load) return found;
    await this.#refresh(load);
    return this.#lookup(slug);
  }

  /** Drops the list, so the next resolve reloads it (e.g. Odoo said a model does not exist). */
  forget(): void {
    this.#loadedAt = -Infinity;
  }

  #lookup(slug: string): ModelMeta | undefined {
    return this.#byName.get(slug) ?? this.#bySlug.get(slug);
  }

  async #refresh(load: ModelLoader | undefined): Promise<void> {
    if (!load) {
      if (this.#loadedAt > -Infinity) return;
      throw new Error('the Odoo model list is not loaded yet and no credentials were given to load it');
    }
    this.#loading ??= load()
      .then((models) => this.#replace(models))
      .finally(() => {
        this.#loading = undefined;
      });
    await this.#loading;
  }

  #replace(models: readonly ModelMeta[]): void {
    const byName = new Map<string, ModelMeta>();
    const bySlug = new Map<string, ModelMeta>();
    for (const info of [...models].sort((a, b) => a.model.localeCompare(b.model))) {
      byName.set(info.model, info);
      // Two names with the same slug (`a.b_c`, `a_b.c`): the first keeps it, the other answers to its dotted name.
      if (!bySlug.has(slugOf(info.model))) bySlug.set(slugOf(info.model), info);
    }
    this.#byName = byName;
    this.#bySlug = bySlug;
    this.#loadedAt = this.#now();
  }
}
