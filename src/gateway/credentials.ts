/**
 * What of the caller's request travels to the gateway: the `Authorization` header and the `session_id`
 * cookie, nothing else (docs/rest-contract.md, "Auth"). Other cookies, forwarding headers, user agents and the
 * like stay behind, so a gateway sees exactly the credentials a REST caller would have sent.
 */

/** The contract's session cookie: set by `/web/session/authenticate`, read by the REST routes, forwarded by the gateway. */
export const SESSION_COOKIE = 'session_id';

export interface Credentials {
  /** The caller's `Authorization` header, as sent (normally `Bearer <API key>`). */
  readonly authorization?: string;
  /** The caller's `session_id` cookie as a `name=value` pair, value as sent (not decoded). */
  readonly sessionCookie?: string;
}

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

/** The `name=value` pair of the `session_id` cookie in a Cookie header, or undefined. */
export function sessionCookiePair(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === SESSION_COOKIE) {
      const value = part.slice(index + 1).trim();
      return value === '' ? undefined : `${SESSION_COOKIE}=${value}`;
    }
  }
  return undefined;
}

/** The credentials of an incoming request: its Authorization header and its session cookie, if any. */
export function credentialsFrom(headers: HeaderSource): Credentials {
  const authorization = header(headers, 'authorization');
  const sessionCookie = sessionCookiePair(header(headers, 'cookie'));
  if (authorization === undefined && sessionCookie === undefined) return NO_CREDENTIALS;
  return { ...(authorization !== undefined && { authorization }), ...(sessionCookie !== undefined && { sessionCookie }) };
}

export function hasCredentials(credentials: Credentials): boolean {
  return credentials.authorization !== undefined || credentials.sessionCookie !== undefined;
}
