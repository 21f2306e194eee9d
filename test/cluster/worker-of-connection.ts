/**
 * Which process serves a connection, read from outside as an operator would (Linux /proc): the server's
 * end of a TCP connection is a socket that one worker holds open. So a test tells which worker answered
 * without the server saying anything about itself.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { request, Agent } from 'node:http';

/** The worker processes of `primaryPid` (its direct children), from /proc. */
export function childPids(primaryPid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The field after the command (which is in parentheses and may hold spaces) are: state, ppid.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === primaryPid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children.sort((a, b) => a - b);
}

/** Whether process `pid` exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The socket inode of the server's end of the connection from local port `clientPort` to `serverPort`. */
function serverSocketInode(serverPort: number, clientPort: number): string | undefined {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      // sl, local_address, rem_address, st, tx_queue:rx_queue, tr:tm->when, retrnsmt, uid, timeout, inode, ...
      const columns = line.trim().split(/\s+/);
      const [local, remote, inode] = [columns[1], columns[2], columns[9]];
      if (!local || !remote || !inode) continue;
      if (parseInt(local.split(':')[1]!, 16) === serverPort && parseInt(remote.split(':')[1]!, 16) === clientPort) return inode;
    }
  }
  return undefined;
}

/** The pid among `pids` that holds the server's end of the connection from local port `clientPort`. */
export function pidServing(pids: readonly number[], serverPort: number, clientPort: number): number | undefined {
  const inode = serverSocketInode(serverPort, clientPort);
  if (inode === undefined) return undefined;
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * A client of one keep-alive connection, which tells which of `pids` serves it (pidServing), as long as
 * it is open; close() ends it.
 */
export class OneConnection {
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });
  #localPort: number | undefined;

  constructor(
    readonly url: URL,
    readonly headers: Readonly<Record<string, string>>,
  ) {}

  send(method: string, path: string, body?: unknown): Promise<Answer> {
    return this.sendInTwoParts(method, path, body, Promise.resolve());
  }

  /**
   * Sends the request's headers and the first half of its body at once, the rest when `resume` resolves:
   * a request that is in flight on its worker meanwhile.
   */
  sendInTwoParts(method: string, path: string, body: unknown, resume: Promise<void>): Promise<Answer> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = { ...this.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.url),
        { method, agent: this.#agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(text)) } },
        (res) => {
          this.#localPort = res.socket.localPort;
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      const half = Math.floor(text.length / 2);
      if (half > 0) req.write(text.slice(0, half));
      void resume.then(() => req.end(text.slice(half)));
    });
  }

  /** The worker serving this connection (after a first request). */
  servedBy(pids: readonly number[]): number | undefined {
    return this.#localPort === undefined ? undefined : pidServing(pids, Number(this.url.port), this.#localPort);
  }

  close(): void {
    this.#agent.destroy();
  }
}
