/**
 * Time zones, for what depends on the user's day (Odoo's `fields.Date.context_today`: the date in the
 * context's `tz`, else the user's, else UTC). Node's Intl knows the IANA zones; no library needed.
 */
import { dateFormatter, isTimeZone } from '../../input/time-zone.js';

/**
 * The zones a user's `tz` may hold: the IANA zones Node knows, and UTC. (Odoo lists pytz's 597 names,
 * which add the old aliases such as `US/Eastern`; those are accepted in a context's `tz`, see
 * `isTimeZone`, but not offered here.)
 */
export const TIME_ZONES: readonly string[] = Object.freeze([...new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC'])].sort());

/**
 * The date (`YYYY-MM-DD`) in `zone` at `utc` (`YYYY-MM-DD HH:MM:SS`, UTC, as the store writes datetimes):
 * Odoo's `context_today`. No zone, or one Intl does not know: the UTC date, as Odoo falls back.
 */
export function dateInZone(utc: string, zone: string | undefined): string {
  if (!zone || !isTimeZone(zone)) return utc.slice(0, 10);
  return dateFormatter(zone).format(new Date(`${utc.replace(' ', 'T')}Z`));
}
