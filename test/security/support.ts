/**
 * Small helpers shared by the security tests: the demo users' ids, REST paths for a model, and ground
 * truth read straight from SQLite (`server.backend.db`, as the superuser sees it), so that what a user
 * gets over HTTP can be compared with what exists.
 */
import { expect } from 'vitest';
import { q, type TestResponse, type TestServer } from '../helpers/server.js';

/** Demo users (src/backends/embedded/demo/demo-data.ts). Every password is the login. */
export const UID = { system: 1, admin: 2, demo: 3, manager: 4, portal: 5, salesman2: 6, salesman3: 7 } as const;
export const SAN_FRANCISCO = 1;
export const CHICAGO = 2;
/** Deco Addict, the portal user's company (the portal user's partner, Joel Willis, is 13). */
export const DECO_ADDICT = 10;

/** `sale.order` → `/api/sale_order`. */
export function apiPath(model: string, id?: number): string {
  return `/api/${model.replace(/\./g, '_')}${id === undefined ? '' : `/${id}`}`;
}

/** A list path with query parameters, the domain written as a client would type it. */
export function listPath(model: string, params: Record<string, string | number> = {}): string {
  const query = q(params);
  return `${apiPath(model)}${query ? `?${query}` : ''}`;
}

export function sqlCount(server: TestServer, text: string, ...params: unknown[]): number {
  const row = server.backend.db.prepare(`SELECT count(*) AS n FROM (${text})`).get(...params) as { n: number };
  return row.n;
}

export function sqlRows<T = Record<string, unknown>>(server: TestServer, text: string, ...params: unknown[]): T[] {
  return server.backend.db.prepare(text).all(...params) as T[];
}

export function sqlRow<T = Record<string, unknown>>(server: TestServer, text: string, ...params: unknown[]): T | undefined {
  return server.backend.db.prepare(text).get(...params) as T | undefined;
}

/** The whole stored row of a record, to compare before and after a refused write. */
export function storedRow(server: TestServer, table: string, id: number): Record<string, unknown> | undefined {
  return sqlRow(server, `SELECT * FROM "${table}" WHERE "id" = ?`, id);
}

/** Odoo's AccessError for a missing access right: "You are not allowed to access 'Sales Order' (sale.order) records." */
export function expectRightsRefusal(
  response: TestResponse,
  verb: 'access' | 'modify' | 'create' | 'delete',
  description: string,
  model: string,
): void {
  expect(response.status, response.text).toBe(403);
  expect(response.body.error).toContain(`You are not allowed to ${verb} '${description}' (${model}) records.`);
}

/** Odoo 17's AccessError for a record rule: "Sorry, Marc Demo (id=3) doesn't have 'read' access to: - Sales Order (sale.order)". */
export function expectRuleRefusal(
  response: TestResponse,
  user: string,
  uid: number,
  operation: 'read' | 'write' | 'create' | 'unlink',
  description: string,
  model: string,
): void {
  expect(response.status, response.text).toBe(403);
  expect(response.body.error).toContain(`Sorry, ${user} (id=${uid}) doesn't have '${operation}' access to:\n- ${description} (${model})`);
}

/** A list answer: 200 and its rows' ids. */
export function listedIds(response: TestResponse): number[] {
  expect(response.status, response.text).toBe(200);
  return (response.body.results as Array<{ id: number }>).map((r) => r.id);
}
