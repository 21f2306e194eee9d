/**
 * The client examples in examples/ run as a user would run them (bash + curl, node, python3), each
 * against a fresh demo server, with BASE_URL and KEY from the environment: they exit 0 and print what
 * the demo data holds; with a wrong key they exit non-zero.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command asynchronously (the server answering it lives in this process). */
function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_OPTIONS; // the test runner's loader hooks are not the example's
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, env: childEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const EXAMPLES = [
  {
    id: 'EX-01',
    name: 'examples/curl-walkthrough.sh (the seed\'s four examples and a session)',
    command: 'bash',
    args: ['examples/curl-walkthrough.sh'],
    expected: [
      /^200 \{"count":80,"total":108,"limit":80,"offset":0,"results":\[\{"id":228,"name":"S00228","partner_id":\{"id":28,"name":"Muebles Iberia"\}\}/m,
      /^201 \{"id":151,"record":\{"id":151,"name":"New Opportunity","partner_id":\{"id":12,"name":"Azure Interior"\}/m,
      /^200 \{"id":77,.*"scheduled_date":"2025-09-05 10:00:00"/m,
      /^400 \{"error":"In order to delete a purchase order, you must cancel it first\."\}$/m,
      /^200 \{"ok":true\}$/m,
      /^401 \{"error":"session expired/m,
      /^walkthrough: every step answered as expected$/m,
    ],
  },
  {
    id: 'EX-02',
    name: 'examples/apollo-client.mjs (@apollo/client: a query and a mutation)',
    command: process.execPath,
    args: ['examples/apollo-client.mjs'],
    expected: [
      /^me: admin \(Mitchell Admin\)$/m,
      /^confirmed sale orders: 108$/m,
      /^ {2}S00228 {2}Muebles Iberia {2}95$/m,
      /^created crm\.lead 151: New Opportunity for Azure Interior, expected revenue 15000$/m,
    ],
  },
  {
    id: 'EX-03',
    name: 'examples/rest_client.py (Python standard library)',
    command: 'python3',
    args: ['examples/rest_client.py'],
    expected: [
      /^confirmed sale orders: 108 \(first 5\)$/m,
      /^ {2}S00228 {2}Muebles Iberia$/m,
      /^created crm\.lead 151: New Opportunity for Azure Interior$/m,
      /^updated crm\.lead 151: expected revenue 20000$/m,
      /^bad input answers 400: query parameter 'limit'/m,
      /^deleted crm\.lead 151$/m,
      /^session: logged in as demo \(uid 3\)$/m,
      /^rest_client: every call answered as expected$/m,
    ],
  },
] as const;

describe('client examples against a fresh demo server', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  for (const example of EXAMPLES) {
    it(`${example.id} ${example.name} runs and prints the demo data's answers`, async () => {
      server = await startServer();
      const result = await run(example.command, [...example.args], { BASE_URL: server.url, KEY: server.key('admin') });
      expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
      for (const line of example.expected) expect(result.stdout).toMatch(line);
    });

    it(`${example.id} ${example.name} exits non-zero with a wrong key`, async () => {
      server = await startServer();
      const result = await run(example.command, [...example.args], { BASE_URL: server.url, KEY: 'not-a-key' });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/FAILED/);
    });
  }
});
