/**
 * The client address that login cooldowns and rate limits count against: the request's peer address
 * (or, with TRUST_PROXY, the address a trusted proxy forwarded), normalised so that one client cannot
 * pass for many. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is its IPv4 address, and an IPv6
 * address counts as its /64: one subscriber is routinely given a whole /64, so counting single IPv6
 * addresses would hand an attacker 2^64 fresh buckets (@fastify/rate-limit's default does the same).
 */
import { isIPv6 } from 'node:net';

export function clientAddress(ip: string): string {
  if (!isIPv6(ip)) return ip.toLowerCase();
  const groups = expandIPv6(ip.toLowerCase());
  const last = groups.at(-1) ?? '';
  // ::ffff:a.b.c.d, written either way (dotted, or as two hex groups after expansion).
  if (groups.slice(0, 5).every((g) => g === '0') && groups[5] === 'ffff') {
    if (last.includes('.')) return last;
    const high = parseInt(groups[6] ?? '0', 16);
    const low = parseInt(last, 16);
    return [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address (without leading zeros); an embedded IPv4 tail stays one item. */
function expandIPv6(ip: string): string[] {
  const address = ip.split('%')[0] ?? ip; // zone index: fe80::1%eth0
  const [head = '', tail] = address.split('::');
  const parts = (text: string) => (text === '' ? [] : text.split(':'));
  const left = parts(head);
  const right = tail === undefined ? [] : parts(tail);
  const width = (list: string[]) => list.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const missing = tail === undefined ? 0 : 8 - width(left) - width(right);
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((g) =>
    g.includes('.') ? g : g.replace(/^0+(?=.)/, ''),
  );
}
