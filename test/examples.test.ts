/**
 * The client examples in examples/ and the documentation's curl examples run as a user would run them
 * (bash + curl, node, python3), with BASE_URL and KEY from the environment, again and again on one demo
 * server: each example twice in a row, then docs/rest.md's REST examples (read from the file, as written)
 * twice, then the walkthrough once more, then the README's REST and GraphQL examples. Every run exits 0
 * and prints the demo data's answers (ids of records a run creates are not expected to be any particular
 * number: earlier runs took some). With a wrong key each example exits non-zero. A snippet missing from
 * the file it is read from fails its test.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useServer } from './helpers/use-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command asynchronously (the server answering it lives in this process), in `cwd`. */
function run(command: string, args: string[], env: Record<string, string>, cwd = ROOT): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.NODE_OPTIONS; // the test runner's loader hooks are not the example's
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: childEnv, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The ```sh blocks of `file`'s sections whose `## ` heading starts with each of `headings`, in order. A
 * missing section, or one without a shell block, throws: the snippet a test runs must exist, not be skipped.
 */
function shellBlocks(file: string, headings: readonly string[]): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8').split('\n');
  return headings.flatMap((heading) => {
    const start = text.findIndex((line) => line.startsWith(`## ${heading}`));
    if (start < 0) throw new Error(`${file} has no section "## ${heading}..."`);
    const lines = text.slice(start + 1);
    const end = lines.findIndex((line) => line.startsWith('## '));
    const section = (end < 0 ? lines : lines.slice(0, end)).join('\n');
    const blocks = [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    if (blocks.length === 0) throw new Error(`${file}'s section "## ${heading}..." has no \`\`\`sh block`);
    return blocks;
  });
}

const WALKTHROUGH = {
  id: 'EX-01',
  name: "examples/curl-walkthrough.sh (mrm_rest_api's four documented examples and a session)",
  command: 'bash',
  args: ['examples/curl-walkthrough.sh'],
  expected: [
    /^200 \{"count":80,"total":108,"limit":80,"offset":0,"results":\[\{"id":228,"name":"S00228","partner_id":\{"id":28,"name":"Muebles Iberia"\}\}/m,
    /^201 \{"id":(\d+),"record":\{"id":\1,"name":"New Opportunity","partner_id":\{"id":12,"name":"Azure Interior"\}/m,
    /^200 \{"id":77,.*"scheduled_date":"2025-09-05 10:00:00"/m,
    /^201 \{"id":(\d+),"record":\{"id":\1,"name":"P\d{5}",.*"state":"draft"/m,
    /^400 \{"error":"In order to delete a purchase order, you must cancel it first\."\}$/m,
    /^200 \{"id":\d+,"record":\{.*"state":"cancel"/m,
    /^200 \{"ok":true\}$/m,
    /^404 \{"error":/m,
    /^401 \{"error":"session expired/m,
    /^walkthrough: every step answered as expected$/m,
  ],
} as const;

const EXAMPLES = [
  WALKTHROUGH,
  {
    id: 'EX-02',
    name: 'examples/apollo-client.mjs (@apollo/client: a query and a mutation)',
    command: process.execPath,
    args: ['examples/apollo-client.mjs'],
    expected: [
      /^me: admin \(Mitchell Admin\)$/m,
      /^confirmed sale orders: 108$/m,
      /^ {2}S00228 {2}Muebles Iberia {2}95$/m,
      /^created crm\.lead \d+: New Opportunity for Azure Interior, expected revenue 15000$/m,
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
      /^created crm\.lead (\d+): New Opportunity for Azure Interior$/m,
      /^updated crm\.lead \d+: expected revenue 20000$/m,
      /^bad input answers 400: query parameter 'limit'/m,
      /^deleted crm\.lead \d+$/m,
      /^session: logged in as demo \(uid 3\)$/m,
      /^rest_client: every call answered as expected$/m,
    ],
  },
] as const;

/** docs/rest.md's sections whose shell blocks run as written, in this order. */
const REST_DOC_SECTIONS = ['The four documented examples', 'Sessions', 'Conditional reads'] as const;

/** What docs/rest.md's REST examples print (curl -s: the bodies one after the other, then `echo`'s lines). */
const REST_DOC_EXPECTED = [
  /\{"count":80,"total":108,"limit":80,"offset":0,"results":\[\{"id":228,"name":"S00228","partner_id":\{"id":28,"name":"Muebles Iberia"\}\}/,
  /\{"id":(\d+),"record":\{"id":\1,"name":"New Opportunity","partner_id":\{"id":12,"name":"Azure Interior"\}/,
  /\{"id":77,"record":\{"id":77,.*"scheduled_date":"2025-09-05 10:00:00"/,
  /\{"error":"In order to delete a purchase order, you must cancel it first\."\}\{"id":\d+,"record":\{.*"state":"cancel".*\}\{"ok":true\}/,
  /\{"jsonrpc":"2\.0","id":1,"result":\{"uid":\d+,.*"username":"demo"/,
  /\{"count":2,"total":\d+,"limit":2,"offset":0,"results":\[\{"id":\d+,"name":/,
  // The conditional read: the tag `echo` prints, then the status of the same request sent with it.
  /W\/"[\w-]+"\n304\n$/,
];

/** README.md's sections whose shell blocks run as written, and what they print: the REST list, then the GraphQL answer. */
const README_SECTIONS = ['REST', 'GraphQL'] as const;
const README_EXPECTED = [
  /^\{"count":80,"total":108,"limit":80,"offset":0,"results":\[\{"id":228,"name":"S00228","partner_id":\{"id":28,"name":"Muebles Iberia"\}\}/,
  /\}\]\}\{"data":\{"me":\{"login":"admin"\},"records":\{"total":240\}\}\}$/,
];

const server = useServer();
let key: string;
let scratch: string;

beforeAll(async () => {
  key = server.key('admin');
  scratch = mkdtempSync(join(tmpdir(), 'ogf-examples-'));
});

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
});

async function runExample(example: (typeof EXAMPLES)[number], label: string): Promise<void> {
  const result = await run(example.command, [...example.args], { BASE_URL: server.url, KEY: key });
  expect(result.code, `${label}\n${result.stdout}\n${result.stderr}`).toBe(0);
  for (const line of example.expected) expect(result.stdout, label).toMatch(line);
}

// In order, on one server: what each run leaves behind is what the next one meets.
describe('client examples, again and again on one demo server', { timeout: 120_000 }, () => {
  for (const example of EXAMPLES) {
    it(`${example.id} ${example.name} runs twice in a row and prints the demo data's answers both times`, async () => {
      await runExample(example, 'first run');
      await runExample(example, 'second run');
    });
  }

  it("EX-04 docs/rest.md's REST curl examples (its four documented examples, sessions and conditional reads, as written) run twice after the examples", async () => {
    const blocks = shellBlocks('docs/rest.md', REST_DOC_SECTIONS);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const script = blocks.join('\n').replaceAll('http://127.0.0.1:4000', server.url);
    for (const label of ['first run', 'second run']) {
      // In a folder of their own, so a file they write (a cookie jar, say) would show.
      const result = await run('bash', ['-euo', 'pipefail', '-c', script], { KEY: key }, scratch);
      expect(result.code, `${label}\n${result.stdout}\n${result.stderr}`).toBe(0);
      expect(result.stderr, label).toBe('');
      for (const expected of REST_DOC_EXPECTED) expect(result.stdout, label).toMatch(expected);
    }
    expect(readdirSync(scratch)).toEqual([]);
  });

  it(`EX-05 ${WALKTHROUGH.name} runs again after all of the above`, async () => {
    await runExample(WALKTHROUGH, 'after everything');
  });

  it('EX-06 README.md\'s REST and GraphQL curl examples (its "REST" and "GraphQL" sections, as written) print what the README shows', async () => {
    const script = shellBlocks('README.md', README_SECTIONS).join('\n').replaceAll('http://127.0.0.1:4000', server.url);
    const result = await run('bash', ['-euo', 'pipefail', '-c', script], { KEY: key }, scratch);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stderr).toBe('');
    for (const expected of README_EXPECTED) expect(result.stdout).toMatch(expected);
    expect(readdirSync(scratch)).toEqual([]);
  });

  for (const example of EXAMPLES) {
    it(`${example.id} ${example.name} exits non-zero with a wrong key`, async () => {
      const result = await run(example.command, [...example.args], { BASE_URL: server.url, KEY: 'not-a-key' });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/FAILED/);
    });
  }
});
