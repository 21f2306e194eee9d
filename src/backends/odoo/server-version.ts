/**
 * Odoo's version as `common.version()` answers it (test/fixtures/odoo-recordings/jsonrpc_common_version.json:
 * `server_version` "17.0", `server_version_info` [17, 0, 0, "final", 0, ""]). The major version
 * decides whether `Authorization: Bearer` can be served (/json/2 exists from Odoo 19).
 */
export interface ServerVersion {
  /** `17.0`, `saas~17.2`, `19.0`... */
  readonly text: string;
  readonly info: readonly unknown[];
  /** 17 for `17.0` and `saas~17.2`; 0 when unreadable. */
  readonly major: number;
}

/** The first version with the /json/2 endpoint and its Bearer API keys. */
export const JSON2_MAJOR = 19;

/** Reads `common.version()`'s answer; never throws (an unreadable answer gives major 0). */
export function parseServerVersion(answer: unknown): ServerVersion {
  const object = typeof answer === 'object' && answer !== null ? (answer as Record<string, unknown>) : {};
  const text = typeof object.server_version === 'string' ? object.server_version : '';
  const info: readonly unknown[] = Array.isArray(object.server_version_info) ? object.server_version_info : [];
  const first = info[0];
  const fromInfo = typeof first === 'number' ? first : Number.parseInt((typeof first === 'string' ? first : '').replace(/^\D+/, ''), 10);
  const fromText = Number.parseInt(text.replace(/^\D+/, ''), 10);
  const major = Number.isFinite(fromInfo) ? fromInfo : Number.isFinite(fromText) ? fromText : 0;
  return { text, info, major };
}
