/**
 * A loopback proxy in front of a real Odoo that keeps each exchange in the recordings' format
 * (test/fixtures/odoo-recordings/README.md): the recorders point an OdooBackend at it, so what is recorded is
 * exactly what the backend sends. Secrets become `<ADMIN_KEY>` / `<DEMO_KEY>`, the origin
 * http://localhost:8069, JSON-RPC ids count from 1, and tracebacks keep only their last line.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  request: Record<string, unknown>;
  response: Record<string, unknown>;
}

export interface RecordingProxy {
  /** The proxy's base URL, to give the backend as its Odoo. */
  readonly url: string;
  /** Exchanges since the last `take`, in order; taking them empties the list. */
  take(): Exchange[];
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts a proxy to `origin`, scrubbing `secrets` (value -> placeholder) from what it keeps. */
export async function startRecordingProxy(origin: string, secrets: Readonly<Record<string, string>>): Promise<RecordingProxy> {
  let captured: Exchange[] = [];
  let nextId = 1;
  const scrub = (text: string): string =>
    Object.entries(secrets).reduce((t, [secret, placeholder]) => t.replaceAll(secret, placeholder), text);
  const proxy = createServer((request, response) => {
    void (async () => {
      const text = await bodyOf(request);
      const answer = await fetch(`${origin}${request.url}`, {
        method: request.method!,
        headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
        body: text,
      });
      const answerText = await answer.text();
      const id = nextId++;
      const answerJson = JSON.parse(answerText) as Record<string, unknown>;
      const error = answerJson.error as { data?: { debug?: string } } | undefined;
      if (error?.data?.debug) error.data.debug = error.data.debug.trim().split('\n').at(-1) ?? '';
      captured.push({
        request: {
          method: request.method,
          path: request.url,
          request_line: `${request.method} ${request.url} HTTP/1.1`,
          url: `http://localhost:8069${request.url}`,
          headers: { 'Content-Type': 'application/json' },
          json: JSON.parse(scrub(JSON.stringify({ ...(JSON.parse(text) as object), id }))),
        },
        response: {
          status: answer.status,
          reason: answer.statusText,
          headers: { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' },
          json: JSON.parse(scrub(JSON.stringify({ ...answerJson, id }))),
        },
      });
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      response.end(answerText);
    })().catch((error: unknown) => {
      response.writeHead(502);
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    take: () => {
      const taken = captured;
      captured = [];
      return taken;
    },
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}
