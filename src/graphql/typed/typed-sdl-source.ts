/**
 * Where the typed SDL's field metadata and business actions come from, in this order:
 * 1. a backend that holds its own models (embedded) gives every field some caller may read, without a
 *    caller, and its own actions (`Backend.actions`, which on such a backend are the model's, whoever asks);
 * 2. else, with an identity configured (`GRAPHQL_SCHEMA_AUTHORIZATION`), the REST contract's
 *    `GET /api/<slug>/fields` and `GET /api/<slug>/actions` read as that identity (BACKEND=odoo: this
 *    process's REST face; proxy: the upstream); an upstream without the actions route gives no actions;
 * 3. else, or when that route is not there (an upstream without it), the checked-in SDL
 *    `schema/typed/models.graphql`, generated from the demo models (`odoo-graphql schema print --typed`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ActionInfo } from '../../backends/actions.js';
import type { Backend, Caller } from '../../backends/backend.js';
import { asFieldsMetadata } from '../../gateway/contract-types.js';
import { generateTypedSDL, type ModelFields, type ReservedNames } from './generate-typed-sdl.js';
import { asActionList } from './typed-actions.js';

/** The demo models: every model of the embedded store. */
export const DEFAULT_TYPED_MODELS: readonly string[] = Object.freeze([
  'res.partner',
  'res.partner.category',
  'res.country',
  'res.company',
  'res.users',
  'res.groups',
  'product.product',
  'crm.stage',
  'crm.lead',
  'sale.order',
  'sale.order.line',
  'purchase.order',
  'purchase.order.line',
  'stock.picking',
]);

/** The checked-in typed SDL of the demo models, used when no field metadata can be read. */
export const TYPED_FALLBACK_FILE = fileURLToPath(new URL('../../../schema/typed/models.graphql', import.meta.url));

/** `GRAPHQL_MODELS`: comma-separated model names; empty or absent: the demo models. */
export function typedModelList(value: string | undefined): readonly string[] {
  const models = (value ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m !== '');
  return models.length ? [...new Set(models)] : DEFAULT_TYPED_MODELS;
}

export type TypedSDLOrigin = 'backend' | 'gateway' | 'fallback';

export interface TypedSDL {
  readonly sdl: string;
  readonly origin: TypedSDLOrigin;
  /** Why the fallback was used, or which models were left out. */
  readonly note?: string;
}

/** A GET on the REST contract: status and parsed JSON body. */
export type ContractGet = (
  path: string,
  headers: Readonly<Record<string, string>>,
) => Promise<{ readonly status: number; readonly body: unknown }>;

export interface TypedSDLSourceOptions {
  readonly models: readonly string[];
  /** The backend the REST face serves; undefined when it forwards (BACKEND=proxy). */
  readonly backend: (Pick<Backend, 'schemaFields'> & Partial<Pick<Backend, 'actions'>>) | undefined;
  readonly reserved: ReservedNames;
  /** The `Authorization` header to read `/api/<slug>/fields` with (case 2). */
  readonly authorization?: string | undefined;
  /** How to GET the REST contract (case 2). */
  readonly get?: ContractGet | undefined;
  /** The checked-in SDL (case 3); default `TYPED_FALLBACK_FILE`. */
  readonly fallbackFile?: string;
}

/** Whether the typed SDL can be had without the REST face (cases 1 and 3), i.e. at start, before listen. */
export function typedSDLIsLocal(options: Pick<TypedSDLSourceOptions, 'backend' | 'authorization' | 'get'>): boolean {
  return options.backend?.schemaFields !== undefined || options.authorization === undefined || options.get === undefined;
}

/**
 * Who asks a backend of case 1 for its actions at start: nobody (no such user). Such a backend lists a
 * model's actions whoever asks, as its `schemaFields` lists fields without a caller; calling one is
 * checked against the real caller, at call time.
 */
const SCHEMA_CALLER: Caller = Object.freeze({ uid: 0, login: '', name: 'typed GraphQL schema', via: 'apikey' });

async function fromBackend(
  models: readonly string[],
  schemaFields: NonNullable<Backend['schemaFields']>,
  actions: ((model: string) => Promise<readonly ActionInfo[]>) | undefined,
): Promise<{ found: ModelFields[]; missing: string[] }> {
  const found: ModelFields[] = [];
  const missing: string[] = [];
  for (const model of models) {
    const fields = await schemaFields(model);
    if (fields) found.push({ model, fields, ...(actions && { actions: await actions(model) }) });
    else missing.push(model);
  }
  return { found, missing };
}

/** `GET /api/<slug>/actions`: the model's actions; none when the route or the model is not there (404). */
async function actionsFromGateway(slug: string, get: ContractGet, authorization: string): Promise<ActionInfo[]> {
  const answer = await get(`/api/${encodeURIComponent(slug)}/actions`, { authorization, accept: 'application/json' });
  if (answer.status === 404) return [];
  if (answer.status !== 200) throw new Error(`GET /api/<slug>/actions for ${slug} answered HTTP ${answer.status}`);
  return asActionList(answer.body);
}

async function fromGateway(
  models: readonly string[],
  get: ContractGet,
  authorization: string,
): Promise<{ found: ModelFields[]; missing: string[] }> {
  const answers = await Promise.all(
    models.map(async (model): Promise<{ model: string; fields?: ModelFields['fields']; actions?: ModelFields['actions'] }> => {
      const slug = model.replace(/\./g, '_');
      const answer = await get(`/api/${encodeURIComponent(slug)}/fields`, {
        authorization,
        accept: 'application/json',
      });
      if (answer.status === 200)
        return { model, fields: asFieldsMetadata(answer.body), actions: await actionsFromGateway(slug, get, authorization) };
      if (answer.status === 404) return { model };
      throw new Error(`GET /api/<slug>/fields for ${model} answered HTTP ${answer.status}`);
    }),
  );
  const found = answers.filter((a): a is ModelFields => a.fields !== undefined);
  if (found.length === 0) throw new Error('the REST gateway has no /api/<slug>/fields route (HTTP 404)');
  return { found, missing: answers.filter((a) => a.fields === undefined).map((a) => a.model) };
}

function fallback(file: string, reason: string): TypedSDL {
  return { sdl: readFileSync(file, 'utf8'), origin: 'fallback', note: `${reason}; using ${file}` };
}

/** The typed SDL for the configured models, from the first source that answers (see above). */
export async function loadTypedSDL(options: TypedSDLSourceOptions): Promise<TypedSDL> {
  const { models, backend, reserved, authorization, get } = options;
  const fallbackFile = options.fallbackFile ?? TYPED_FALLBACK_FILE;
  const note = (missing: string[]) => (missing.length ? { note: `no such model: ${missing.join(', ')} (left out)` } : {});
  if (backend?.schemaFields) {
    const actions = backend.actions && ((model: string) => backend.actions!(SCHEMA_CALLER, model));
    const { found, missing } = await fromBackend(models, backend.schemaFields.bind(backend), actions);
    return { sdl: generateTypedSDL(found, reserved), origin: 'backend', ...note(missing) };
  }
  if (authorization === undefined || get === undefined) return fallback(fallbackFile, 'GRAPHQL_SCHEMA_AUTHORIZATION is not set');
  let read: { found: ModelFields[]; missing: string[] };
  try {
    read = await fromGateway(models, get, authorization);
  } catch (error) {
    return fallback(fallbackFile, `the field metadata could not be read: ${(error as Error).message}`);
  }
  return { sdl: generateTypedSDL(read.found, reserved), origin: 'gateway', ...note(read.missing) };
}
