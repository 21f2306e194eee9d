/**
 * Cache keys for secrets (API keys, passwords, session ids): a SHA-256 of the parts, so a cache never
 * holds a secret itself and a memory dump of it gives nothing that could be replayed.
 */
import { createHash } from 'node:crypto';

/** Hex SHA-256 of the parts joined by NUL (`secretKey('basic', login, key)`), distinct per kind. */
export function secretKey(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}
