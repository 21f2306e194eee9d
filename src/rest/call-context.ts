/**
 * Odoo's context for a REST request (docs/rest.md, "Context"): the language, time zone and companies a
 * request works in, as Odoo's RPC takes them in `context`. Where they come from, first found wins:
 * - the `context` query parameter, a JSON object as Odoo's RPC takes it:
 *   `context={"lang": "fr_FR", "tz": "Europe/Brussels", "allowed_company_ids": [2, 1]}`
 *   (on every /api/<slug> route, writes too: a write's body is its field values, and a model may have a
 *   field named `context`, so the context never travels in the body);
 * - `Accept-Language` for the language (the best installed match: `fr-BE,fr;q=0.9` is `fr_FR` when only
 *   `fr_FR` is installed), as Odoo's HTTP layer picks a visitor's language (`Request.best_lang`);
 * - `X-Company-Ids: 2,1`, or the Odoo web client's `cids` cookie (`2,1` or `2-1`), for the companies, the
 *   first one the current company.
 * What none of them gives is the user's own: their language and time zone, all their companies.
 *
 * Checked here: the shape, a language that is installed (Odoo would quietly fall back to English; a
 * caller who names a language wants to know), a time zone that exists. A company the user does not belong
 * to is the backend's to refuse (Odoo's AccessError, 403), as Odoo does.
 */
import type { FastifyRequest } from 'fastify';
import type { Backend, CallContext, Caller } from '../backends/backend.js';
import { COMPANIES_HEADER } from '../gateway/credentials.js';
import { isTimeZone } from '../input/time-zone.js';
import { ApiError } from './api-error.js';
import { readCookie } from './caller.js';

/** The Odoo web client's cookie of the selected companies. */
const COMPANIES_COOKIE = 'cids';
/** Keys of `context` this server applies; `uid` is taken and ignored (the credentials say who calls), as Odoo's web client sends it. */
const CONTEXT_KEYS = ['lang', 'tz', 'allowed_company_ids'] as const;
const IGNORED_CONTEXT_KEYS = new Set(['uid']);
/** More companies than anyone belongs to: a bound on what a request makes the server check. */
const MAX_COMPANIES = 100;
const MAX_CONTEXT_LENGTH = 2000;

/** The request's context, or undefined when it asks for nothing; 400 naming what is wrong. */
export async function callContextOf(backend: Backend, caller: Caller, request: FastifyRequest): Promise<CallContext | undefined> {
  const query = request.query as Record<string, unknown> | undefined;
  const given = parseContextParameter(query?.context);
  const lang = given.lang ?? (await acceptedLanguage(backend, caller, request.headers['accept-language']));
  if (given.lang !== undefined) await checkInstalled(backend, caller, given.lang);
  const allowedCompanyIds =
    given.allowed_company_ids ??
    companiesFrom(request.headers[COMPANIES_HEADER], `header '${COMPANIES_HEADER}'`) ??
    companiesFrom(readCookie(request.headers.cookie, COMPANIES_COOKIE), `cookie '${COMPANIES_COOKIE}'`);
  const context: CallContext = {
    ...(lang !== undefined && { lang }),
    ...(given.tz !== undefined && { tz: given.tz }),
    ...(allowedCompanyIds !== undefined && { allowedCompanyIds }),
  };
  return Object.keys(context).length ? context : undefined;
}

/** A key of the request's context that a cache must tell apart: `''` when it asks for nothing. */
export function contextKey(context: CallContext | undefined): string {
  if (!context) return '';
  return `${context.lang ?? ''}|${context.tz ?? ''}|${context.allowedCompanyIds?.join(',') ?? ''}`;
}

interface GivenContext {
  readonly lang?: string;
  readonly tz?: string;
  readonly allowed_company_ids?: readonly number[];
}

function contextError(problem: string): ApiError {
  return new ApiError(400, `query parameter 'context': ${problem}`);
}

function parseContextParameter(value: unknown): GivenContext {
  if (value === undefined) return {};
  // Repeated, it arrives as a list: the schemas' words for that (route-schemas.ts).
  if (typeof value !== 'string') throw new ApiError(400, "query parameter 'context' must be given once");
  if (value.trim() === '') return {};
  if (value.length > MAX_CONTEXT_LENGTH) throw contextError(`longer than ${MAX_CONTEXT_LENGTH} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw contextError(`not JSON: expected an object such as {"lang": "fr_FR", "allowed_company_ids": [1]}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw contextError('expected a JSON object');
  const context: { lang?: string; tz?: string; allowed_company_ids?: readonly number[] } = {};
  for (const [key, entry] of Object.entries(parsed)) {
    if (IGNORED_CONTEXT_KEYS.has(key)) continue;
    if (!(CONTEXT_KEYS as readonly string[]).includes(key))
      throw contextError(`unknown key '${key.slice(0, 60)}' (supported: ${CONTEXT_KEYS.join(', ')})`);
    if (key === 'lang') {
      if (typeof entry !== 'string' || !/^[a-z]{2,3}(_[A-Za-z0-9@]+)?$/.test(entry))
        throw contextError(`'lang' must be a language code such as "fr_FR"`);
      context.lang = entry;
    } else if (key === 'tz') {
      if (typeof entry !== 'string' || !isTimeZone(entry))
        throw contextError(`'tz' must be a time zone such as "Europe/Brussels", got ${JSON.stringify(entry).slice(0, 60)}`);
      context.tz = entry;
    } else {
      context.allowed_company_ids = companyIds(entry, `'allowed_company_ids'`, contextError);
    }
  }
  return context;
}

function companyIds(value: unknown, what: string, fail: (problem: string) => ApiError): readonly number[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.length > MAX_COMPANIES ||
    !value.every((id): id is number => Number.isSafeInteger(id) && id > 0)
  )
    throw fail(`${what} must be a list of 1 to ${MAX_COMPANIES} company ids (positive integers), the current company first`);
  return value;
}

/** `2,1` or `2-1` (the web client's two separators) to ids; undefined when absent. */
function companiesFrom(header: string | string[] | undefined, what: string): readonly number[] | undefined {
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text.trim() === '') return undefined;
  const parts = text.split(/[,-]/).map((part) => part.trim());
  const ids = parts.map((part) => (/^\d{1,15}$/.test(part) ? Number(part) : Number.NaN));
  return companyIds(ids, what, (problem) => new ApiError(400, problem));
}

async function checkInstalled(backend: Backend, caller: Caller, lang: string): Promise<void> {
  const installed = await backend.languages(caller);
  if (!installed.some(({ code }) => code === lang))
    throw contextError(`language '${lang}' is not installed (installed: ${installed.map(({ code }) => code).join(', ')})`);
}

/**
 * The installed language `Accept-Language` prefers (RFC 9110 12.5.4: by quality, then order), or undefined
 * when it names none of them. `fr` matches `fr_FR` (the first installed `fr_*`, as Odoo's locale aliases
 * do for the common ones), `fr-BE` matches `fr_BE`, else `fr_*`.
 */
async function acceptedLanguage(backend: Backend, caller: Caller, header: string | string[] | undefined): Promise<string | undefined> {
  if (header === undefined) return undefined;
  const ranges = (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter(({ tag, q }) => q > 0 && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  if (ranges.length === 0) return undefined;
  const installed = (await backend.languages(caller)).map(({ code }) => code);
  for (const { tag } of ranges) {
    const [language = '', region] = tag.split('-');
    const exact = region && installed.find((code) => code.toLowerCase() === `${language}_${region}`.toLowerCase());
    const sameLanguage = installed.find((code) => code.split('_')[0]!.toLowerCase() === language.toLowerCase());
    const match = exact || sameLanguage;
    if (match) return match;
  }
  return undefined;
}
