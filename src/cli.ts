/**
 * `odoo-graphql serve | apikey create|list|revoke | user password | schema print | demo reset | help` — the
 * command line. Flags mirror the environment variables of the config (`--port 4001` is PORT=4001,
 * `--data-dir` is DATA_DIR), so the CLI always acts on the database the server would use. A command takes
 * exactly the arguments it names: a stray one (a key pasted in the wrong place) is refused, not ignored.
 */
import './process-mode.js';
import { parseArgs } from 'node:util';
import { createApp } from './app.js';
import { resetDemoData } from './backends/embedded/demo/demo-reset.js';
import { EmbeddedBackend } from './backends/embedded/embedded-backend.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { fullSchemaSDL } from './graphql/typed/build-typed-schema.js';
import { serve } from './main.js';

const USAGE = `usage: odoo-graphql <command> [options]

commands:
  serve                                   start the server (same as npm start)
  apikey create --login <login> [--name <label>]
                                          create an API key for that user and print it once
  apikey list                             list keys (id, user, first 8 characters, created)
  apikey revoke <id | first 8 characters> revoke a key; effective at once, also on a running server
  user password --login <login>           set a user's password, read from stdin (or --password)
  schema print [--typed]                  print the GraphQL schema (SDL) the server runs on, for codegen;
                                          --typed: only the typed part (what schema/typed/models.graphql holds)
  demo reset                              bring the demo data back, as a new database holds it (embedded only);
                                          keeps API keys, passwords and sessions of the demo users; safe while a
                                          server runs on the same DATA_DIR (it answers the reset data at once)

options (each mirrors an environment variable):
  --host HOST  --port PORT  --backend embedded|odoo|proxy  --data-dir DATA_DIR  --db-name DB_NAME
  --max-limit MAX_LIMIT  --log-level LOG_LEVEL
`;

const FLAG_TO_ENV: Readonly<Record<string, string>> = {
  host: 'HOST',
  port: 'PORT',
  backend: 'BACKEND',
  'data-dir': 'DATA_DIR',
  'db-name': 'DB_NAME',
  'max-limit': 'MAX_LIMIT',
  'log-level': 'LOG_LEVEL',
};

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new ConfigError('pipe the new password on stdin, e.g. printf %s "$NEW" | odoo-graphql user password --login admin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** How many positionals each command takes, with its name (`apikey list` is two); `apikey revoke <id>` takes three. */
const POSITIONALS: Readonly<Record<string, number>> = { serve: 1, apikey: 2, user: 2, schema: 2, demo: 2 };

/** The positionals `command` takes, or undefined for an unknown command (answered with the usage instead). */
function positionalsOf(command: string, sub: string | undefined): number | undefined {
  return command === 'apikey' && sub === 'revoke' ? 3 : POSITIONALS[command];
}

/** An argument as an error message shows it: the first characters only of what looks like an API key. */
function shown(argument: string): string {
  return /^[0-9a-f]{40}$/i.test(argument) ? `'${argument.slice(0, 8)}...' (an API key?)` : `'${argument}'`;
}

function embedded(config: Config): EmbeddedBackend {
  if (config.BACKEND !== 'embedded') {
    throw new ConfigError(`API keys of BACKEND=${config.BACKEND} live in Odoo: create them in Odoo (Preferences > Account Security)`);
  }
  return new EmbeddedBackend({
    dataDir: config.DATA_DIR,
    dbName: config.DB_NAME,
    demo: config.DEMO_DATA,
    synchronous: config.SQLITE_SYNCHRONOUS,
  });
}

export async function runCli(
  argv: readonly string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      login: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      typed: { type: 'boolean' },
      ...Object.fromEntries(Object.keys(FLAG_TO_ENV).map((flag) => [flag, { type: 'string' as const }])),
    },
  });
  const overrides = Object.fromEntries(
    Object.entries(FLAG_TO_ENV).map(([flag, env]) => [env, (values as Record<string, string | undefined>)[flag]]),
  );
  const [command, sub, arg] = positionals;
  if (values.help || !command || command === 'help') {
    out(USAGE);
    return command || values.help ? 0 : 1;
  }
  // A stray argument is refused, not ignored: a key pasted after `serve`, or arguments in the wrong order.
  const taken = positionalsOf(command, sub);
  const extra = taken === undefined ? undefined : positionals[taken];
  if (extra !== undefined) {
    throw new ConfigError(
      `unexpected argument ${shown(extra)} after '${positionals.slice(0, taken).join(' ')}'; options are flags (--data-dir <folder>, ...)\n\n${USAGE}`,
    );
  }
  const config = loadConfig(process.env, overrides);
  if (command === 'serve') {
    await serve(config);
    return -1; // keep running
  }
  if (command === 'apikey') {
    const backend = embedded(config);
    try {
      if (sub === 'create') {
        if (!values.login) throw new ConfigError('apikey create needs --login <login>');
        const key = backend.createApiKey(values.login, values.name ?? 'cli');
        out(key);
        process.stderr.write(
          `API key for ${values.login} created. It is shown only this once; use it as 'Authorization: Bearer ${key.slice(0, 8)}...'\n`,
        );
        return 0;
      }
      if (sub === 'list') {
        for (const k of backend.listApiKeys()) out(`${k.id}\t${k.login}\t${k.prefix}...\t${k.name}\t${k.createDate}`);
        return 0;
      }
      if (sub === 'revoke') {
        if (!arg) throw new ConfigError('apikey revoke needs a key id or its first 8 characters');
        const count = backend.revokeApiKey(arg);
        if (count === 0) throw new ConfigError(`no API key matches '${arg}'`);
        out(`revoked ${count} key${count > 1 ? 's' : ''}`);
        return 0;
      }
      throw new ConfigError(`unknown apikey command '${sub ?? ''}'\n\n${USAGE}`);
    } finally {
      await backend.close();
    }
  }
  if (command === 'schema' && sub === 'print') {
    // The app as `serve` would build it (same backend, same GRAPHQL_MODELS), without listening.
    const app = await createApp(config, { logger: false });
    try {
      const { sdl } = await app.typedSchema.sdl();
      out((values.typed ? sdl : fullSchemaSDL(sdl)).trimEnd());
    } finally {
      await app.close();
    }
    return 0;
  }
  if (command === 'user' && sub === 'password') {
    if (!values.login) throw new ConfigError('user password needs --login <login>');
    const password = values.password ?? (await readStdin()).replace(/\r?\n$/, '');
    const backend = embedded(config);
    try {
      backend.setPassword(values.login, password);
    } finally {
      await backend.close();
    }
    out(`password of ${values.login} changed`);
    return 0;
  }
  if (command === 'demo') {
    if (sub !== 'reset') throw new ConfigError(`unknown demo command '${sub ?? ''}'\n\n${USAGE}`);
    if (config.BACKEND !== 'embedded') {
      throw new ConfigError(
        `demo reset works on the embedded store (BACKEND=embedded); BACKEND=${config.BACKEND} keeps its data elsewhere`,
      );
    }
    const result = await resetDemoData({ dataDir: config.DATA_DIR, dbName: config.DB_NAME, synchronous: config.SQLITE_SYNCHRONOUS });
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const passwords = result.passwordsKept.length ? ` (${result.passwordsKept.join(', ')})` : '';
    out(`demo data reset in ${result.file}`);
    out(
      `kept: ${count(result.apiKeysKept, 'API key')}, ${count(result.passwordsKept.length, 'changed password')}${passwords}, ${count(result.sessionsKept, 'session')}`,
    );
    if (result.usersDropped.length) out(`dropped with their users (not in the demo data): ${result.usersDropped.join(', ')}`);
    return 0;
  }
  throw new ConfigError(`unknown command '${command}'\n\n${USAGE}`);
}

const isEntry = process.argv[1]?.endsWith('/src/cli.ts');
if (isEntry) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exitCode = code;
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`odoo-graphql: ${message}\n`);
      process.exitCode = 1;
    },
  );
}
