#!/usr/bin/env node
// Runs the TypeScript CLI (src/cli.ts) through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
runCli(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`odoo-graphql: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
