/**
 * The repository holds only what README.md's "Repository layout" lists at its top level: a database,
 * a log or a folder left by a run (or named like an API key, as a stray `<40 hex>/odoo.sqlite` once was)
 * fails here, named, before it is committed. The list is read from the README so the two cannot drift.
 * Files git tracks count, and so do untracked files it does not ignore (what `git add -A` would take).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function insideGitWorkTree(): boolean {
  try {
    return git('rev-parse', '--is-inside-work-tree').trim() === 'true';
  } catch {
    return false;
  }
}

/**
 * The entries README.md's "Repository layout" allows: the backquoted names that open each bullet of that
 * section (`- \`src/\`: ...`, `- \`package.json\`, \`package-lock.json\``), without a trailing slash.
 */
function documentedTopLevel(readme: string): string[] {
  const start = readme.search(/^### Repository layout$/m);
  if (start < 0) throw new Error('README.md has no "### Repository layout" section');
  const rest = readme.slice(start).split('\n').slice(1);
  const end = rest.findIndex((line) => /^#{2,3} /.test(line));
  const section = end < 0 ? rest : rest.slice(0, end);
  const names: string[] = [];
  for (const line of section) {
    const opening = /^- ((?:`[^`]+`(?:, | and )?)+)/.exec(line);
    if (!opening) continue;
    for (const match of opening[1]!.matchAll(/`([^`]+)`/g)) names.push(match[1]!.replace(/\/$/, ''));
  }
  return names;
}

/** Top-level entries of the given paths (relative to the repository root, as git prints them). */
function topLevel(paths: string): Set<string> {
  return new Set(
    paths
      .split('\n')
      .filter((p) => p !== '')
      .map((p) => p.split('/')[0]!),
  );
}

describe('repository layout', () => {
  it('RL-01 README.md lists the top-level entries: src, schema, test, bench, bin, docs, examples, .ci and the project files', () => {
    const allowed = documentedTopLevel(readFileSync(new URL('../README.md', import.meta.url), 'utf8'));
    expect(allowed.sort()).toEqual(
      [
        'src',
        'schema',
        'test',
        'bench',
        'bin',
        'docs',
        'examples',
        '.ci',
        'package.json',
        'package-lock.json',
        'tsconfig.json',
        'tsconfig.build.json',
        'vitest.config.ts',
        'eslint.config.js',
        '.prettierrc.json',
        '.prettierignore',
        'README.md',
        '.gitignore',
      ].sort(),
    );
  });

  it('RL-02 git tracks (or would add) nothing at the top level but what README.md lists', (ctx) => {
    if (!insideGitWorkTree()) ctx.skip('not inside a git work tree: nothing to check');
    const allowed = new Set(documentedTopLevel(readFileSync(new URL('../README.md', import.meta.url), 'utf8')));
    const tracked = [...topLevel(git('ls-files', '--full-name'))].filter((entry) => !allowed.has(entry));
    const untracked = [...topLevel(git('ls-files', '--others', '--exclude-standard', '--full-name'))].filter(
      (entry) => !allowed.has(entry),
    );
    expect({ tracked, untracked }, 'top-level entries README.md\'s "Repository layout" does not list').toEqual({
      tracked: [],
      untracked: [],
    });
  });

  it('RL-03 nothing cites or reads a file outside the repository (a contract, design or style note, a shared folder beside it)', (ctx) => {
    if (!insideGitWorkTree()) ctx.skip('not inside a git work tree: nothing to check');
    // The contract is docs/rest-contract.md, the recordings test/fixtures/odoo-recordings/; notes that lived
    // beside the repository are not there for a reader of a fresh clone.
    const outside = [
      /(?<![\w-])(?:CONTRACT|DESIGN|STYLE)\.md\b/,
      /\.\.\/shared\b/,
      /(?<![\w-])shared\/(?:odoo-recordings|seed|odoo-lab)\b/,
      /\bthe team['’]s\b/i,
    ];
    const files = `${git('ls-files', '--full-name')}\n${git('ls-files', '--others', '--exclude-standard', '--full-name')}`
      .split('\n')
      .filter((p) => /\.(ts|js|mjs|py|sh|md)$/.test(p) || p.startsWith('.ci/'));
    const found: string[] = [];
    for (const file of new Set(files)) {
      let text: string;
      try {
        text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
      } catch {
        continue; // deleted in the work tree
      }
      text.split('\n').forEach((line, index) => {
        if (outside.some((pattern) => pattern.test(line))) found.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(found, 'references to files outside the repository').toEqual([]);
  });

  it('RL-04 .gitignore keeps what runs make out of git: SQLite files, data/, dist/, test output, .tmp/', (ctx) => {
    if (!insideGitWorkTree()) ctx.skip('not inside a git work tree: nothing to check');
    const made = [
      'odoo.sqlite',
      'x/odoo.sqlite-wal',
      'x/odoo.sqlite-shm',
      'x/store.db',
      'data/odoo.sqlite',
      'data/notes.txt',
      'dist/cli.js',
      'coverage/index.html',
      'test/artifacts/page.png',
      'server.log',
      '.tmp/scratch.txt',
    ];
    let ignored: string[] = [];
    try {
      ignored = git('check-ignore', '--no-index', ...made).split('\n');
    } catch (error) {
      if ((error as { status?: number }).status !== 1) throw error; // 1: none of them is ignored
    }
    expect(
      made.filter((p) => !ignored.includes(p)),
      'paths .gitignore does not ignore',
    ).toEqual([]);
  });
});
