/**
 * What of the caller's request travels to the gateway: the `Authorization` header and the `session_id`
 * cookie (docs/rest-contract.md, "Auth"), and the request's Odoo context as headers (`Accept-Language`,
 * `X-Company-Ids`, from that header or the web client's `cids` cookie: src/rest/call-context.ts), nothing
 * else. Other cookies, forwarding headers, user agents and the like stay behind, so a gateway sees exactly
 * what a REST caller would have sent.
 */

/** The contract's session cookie: set by `/web/session/authenticate`, read by the REST routes, forwarded by the gateway. */
export const SESSION_COOKIE = 'session_id';

export interface Credentials {
  /** The caller's `Authorization` header, as sent (normally `Bearer <API key>`). */
  readonly authorization?: string;
  /** The caller's `session_id` cookie as a `name=value` pair, value as sent (not decoded). */
  readonly sessionCookie?: string;
  /** The caller's `Accept-Language`: the language of labels and translatable values. */
  readonly acceptLanguage?: string;
  /** The companies to work in, as `X-Company-Ids` takes them (`2,1`): that header's, or the `cids` cookie's. */
  readonly companyIds?: string;
}

/** The header that carries the companies to work in (src/rest/call-context.ts). */
export const COMPANIES_HEADER = 'x-company-ids';

export const NO_CREDENTIALS: Credentials = Object.freeze({});

/** Reads header values from a fetch `Headers` or a Node headers object. */
type HeaderSource = { get(name: string): string | null } | Readonly<Record<string, string | string[] | undefined>>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const value = (headers as Readonly<Record<string, string | string[] | undefined>>)[name];
  return Array.isArray(value) ? value.join('; ') : value;
}

/** The value of cookie `name` in a Cookie header as sent (not decoded), or undefined when absent or empty. */
function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) {
      const value = part.slice(index + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

/** The `name=value` pair of the `session_id` cookie in a Cookie header, or undefined. */
export function sessionCookiePair(cookieHeader: string | undefined): string | undefined {
  const value = cookieValue(cookieHeader, SESSION_COOKIE);
  return value === undefined ? undefined : `${SESSION_COOKIE}=${value}`;
}

/** The credentials of an incoming request: its Authorization header, its session cookie and its Odoo context headers, if any. */
export function credentialsFrom(headers: HeaderSource): Credentials {
  const authorization = header(headers, 'authorization');
  const cookies = header(headers, 'cookie');
  const sessionCookie = sessionCookiePair(cookies);
  const acceptLanguage = header(headers, 'accept-language');
  const companyIds = header(headers, COMPANIES_HEADER) ?? cookieValue(cookies, 'cids');
  if (authorization === undefined && sessionCookie === undefined && acceptLanguage === undefined && companyIds === undefined)
    return NO_CREDENTIALS;
  return {
    ...(authorization !== undefined && { authorization }),
    ...(sessionCookie !== undefined && { sessionCookie }),
    ...(acceptLanguage !== undefined && { acceptLanguage }),
    ...(companyIds !== undefined && { companyIds }),
  };
}

export function hasCredentials(credentials: Credentials): boolean {
  return credentials.authorization !== undefined || credentials.sessionCookie !== undefined;
}
