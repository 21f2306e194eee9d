/**
 * The default gateway is this process itself (README.md, "GraphQL"): its REST routes, reached over loopback on
 * the port it actually listens on, which is known only after listen (PORT=0 in tests).
 */
import type { AddressInfo } from 'node:net';

/**
 * `http://<host>:<port>` for a server's bound address: a wildcard address (`0.0.0.0`, `::`) becomes
 * the loopback of its family (`127.0.0.1`, `[::1]`), a specific address is used as is.
 * Throws when the server is not listening on a TCP port (not started yet, or a pipe).
 */
export function loopbackUrl(address: AddressInfo | string | null): string {
  if (address === null || typeof address === 'string') {
    throw new Error('the server is not listening on a TCP port yet: its own gateway URL is known only after listen');
  }
  const host =
    address.address === '0.0.0.0' || address.address === ''
      ? '127.0.0.1'
      : address.address === '::' || address.address === '::0'
        ? '[::1]'
        : address.family === 'IPv6' || address.address.includes(':')
          ? `[${address.address}]`
          : address.address;
  return `http://${host}:${address.port}`;
}
