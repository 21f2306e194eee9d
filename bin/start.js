#!/usr/bin/env node
/**
 * `npm start`: the compiled server (dist/main.js) on plain node, built first when dist/ is missing or
 * older than src/ (bin/ensure-build.js). Development from source, restarting on changes: `npm run dev`.
 */
import { distUrl, ensureBuildOrExit } from './ensure-build.js';

await ensureBuildOrExit();
const { main } = await import(distUrl('main.js'));
await main();
