/**
 * Dates of the demo data, all counted in days from one fixed day, so the data does not depend on when
 * the database is seeded. Odoo's formats: dates `YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM:SS` (UTC).
 */
export const DEMO_BASE_DATE = '2026-01-05';

const BASE_MS = Date.parse(`${DEMO_BASE_DATE}T00:00:00Z`);
const DAY_MS = 86_400_000;

/** The date `days` days after (or before, when negative) the base date. */
export function demoDate(days: number): string {
  return new Date(BASE_MS + days * DAY_MS).toISOString().slice(0, 10);
}

/** A datetime on the day `days` days from the base date, at `hour`:`minute` UTC. */
export function demoDateTime(days: number, hour: number, minute = 0): string {
  return `${demoDate(days)} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`;
}
