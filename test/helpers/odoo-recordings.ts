/**
 * Real Odoo 17 exchanges, read from the team's shared folder (`../shared/odoo-recordings` beside the
 * repository, as on every developer machine and in CI) rather than copied into the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RECORDINGS_DIR = fileURLToPath(new URL('../../../shared/odoo-recordings/', import.meta.url));

export interface OdooRecording {
  request: { method: string; path: string; headers?: Record<string, string>; json?: any };
  response: { status: number; headers: Record<string, unknown>; json?: any; text?: string };
}

export function odooRecording(name: string): OdooRecording {
  const file = `${RECORDINGS_DIR}${name.endsWith('.json') ? name : `${name}.json`}`;
  if (!existsSync(file)) throw new Error(`recording ${name} not found in ${RECORDINGS_DIR} (the shared folder must sit beside the repository)`);
  return JSON.parse(readFileSync(file, 'utf8')) as OdooRecording;
}
