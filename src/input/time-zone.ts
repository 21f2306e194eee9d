/** Time zone names, checked with Node's Intl (the IANA database and its aliases); no library needed. */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The formatter giving `YYYY-MM-DD` in `zone` (`en-CA` writes dates that way), made once per zone; throws for an unknown zone. */
export function dateFormatter(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    if (formatters.size < 1000) formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether `zone` names a time zone (IANA names and their aliases such as `US/Eastern`, as Intl takes them). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
  try {
    dateFormatter(zone);
    return true;
  } catch {
    return false;
  }
}
