#!/usr/bin/env node
// The `odoo-graphql` command: the compiled CLI (dist/cli.js) on plain node, built first when dist/ is
// missing or older than src/ (bin/ensure-build.js; its lines go to stderr, stdout stays the command's).
import { distUrl, ensureBuildOrExit } from './ensure-build.js';

await ensureBuildOrExit();
const { runCli } = await import(distUrl('cli.js'));
runCli(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`odoo-graphql: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
