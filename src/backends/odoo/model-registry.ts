/**
 * The models an Odoo server actually has (`ir.model`), for resolving slugs (docs/rest-contract.md, "Slugs"):
 * `sale_order` and `sale.order` both name `sale.order`, and a model whose own name holds `_`
 * (`ir.actions.act_window`) resolves from its slug `ir_actions_act_window`, never by blind replacement.
 *
 * Cached for `ttlMs`; a slug not found triggers one refresh when the list is older than
 * `missRefreshMs` (a module installed meanwhile), so unknown slugs cannot make every request reload it.
 * Concurrent loads share one request.
 *
 * Only managers of access rights may read `ir.model` in Odoo 17; other users learn the models they may read
 * (`ir.model.get_available_models`), a part of the list. A part is merged into what is known, and a slug
 * not found in a list made of parts is looked for again with the asking user's loader (their part may hold
 * it), at the cost of one call, which the request would have made anyway.
 */
import type { ModelMeta } from '../backend.js';

export interface ModelRegistryOptions {
  /** How long a loaded list is used, in milliseconds. */
  readonly ttlMs: number;
  /** A miss reloads a list at least this old, in milliseconds. */
  readonly missRefreshMs: number;
  readonly now?: () => number;
}

/** What a loader found: every model (`complete`), or those its user may read. */
export interface LoadedModels {
  readonly models: readonly ModelMeta[];
  readonly complete: boolean;
}

export type ModelLoader = () => Promise<LoadedModels>;

/** The slug of a model name: `.` replaced by `_`. */
export function slugOf(model: string): string {
  return model.replaceAll('.', '_');
}

export class ModelRegistry {
  #byName = new Map<string, ModelMeta>();
  #bySlug = new Map<string, ModelMeta>();
  #loadedAt = -Infinity;
  /** Whether the list came whole from `ir.model` (else it is the union of users' parts). */
  #complete = false;
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
    if (found || !load || (this.#complete && age < this.options.missRefreshMs)) return found;
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
      .then((loaded) => this.#replace(loaded))
      .finally(() => {
        this.#loading = undefined;
      });
    await this.#loading;
  }

  #replace({ models, complete }: LoadedModels): void {
    // A part adds to a list that is still fresh; a whole list, or a part after expiry, starts again.
    const fresh = this.#now() - this.#loadedAt < this.options.ttlMs;
    const kept = !complete && fresh ? [...this.#byName.values()].filter((info) => !models.some((m) => m.model === info.model)) : [];
    const byName = new Map<string, ModelMeta>();
    const bySlug = new Map<string, ModelMeta>();
    for (const info of [...models, ...kept].sort((a, b) => a.model.localeCompare(b.model))) {
      byName.set(info.model, info);
      // Two names with the same slug (`a.b_c`, `a_b.c`): the first keeps it, the other answers to its dotted name.
      if (!bySlug.has(slugOf(info.model))) bySlug.set(slugOf(info.model), info);
    }
    this.#byName = byName;
    this.#bySlug = bySlug;
    this.#complete = complete || (fresh && this.#complete);
    this.#loadedAt = complete || !fresh ? this.#now() : this.#loadedAt;
  }
}
