/**
 * Real Odoo 17 exchanges, recorded once against an Odoo 17.0 community server with its demo data and
 * kept in the repository (test/fixtures/odoo-recordings/, see its README.md), so the Odoo backend's
 * tests run on a fresh clone with nothing beside it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const RECORDINGS_DIR = fileURLToPath(new URL('../fixtures/odoo-recordings/', import.meta.url));

export interface OdooRecording {
  request: { method: string; path: string; headers?: Record<string, string>; json?: any };
  response: { status: number; headers: Record<string, unknown>; json?: any; text?: string };
}

export function odooRecording(name: string): OdooRecording {
  const file = `${RECORDINGS_DIR}${name.endsWith('.json') ? name : `${name}.json`}`;
  if (!existsSync(file)) throw new Error(`recording ${name} not found in ${RECORDINGS_DIR} (listed in its INDEX.json?)`);
  return JSON.parse(readFileSync(file, 'utf8')) as OdooRecording;
}
