/**
 * The repository stands alone: a person who clones it has nothing beside it, so no file may point
 * outside it, every test reads its fixtures from inside it, and no test is skipped.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES_ROOT } from '../support/fixtures';

const ROOT = path.resolve(__dirname, '../..');
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'coverage', '.azurite']);
const TEXT = /\.(ts|js|mjs|cjs|json|md|bicep|bicepparam|yaml|yml|sh)$|^run$|^\.gitignore$|^\.prettierignore$/;

function repoFiles(dir = ROOT): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return SKIP_DIRS.has(name) ? [] : repoFiles(p);
    return TEXT.test(name) && name !== 'package-lock.json' ? [p] : [];
  });
}

const files = repoFiles();
const rel = (p: string) => path.relative(ROOT, p);

// Built from parts so this file does not match itself.
const FORBIDDEN = [
  ['PRODUCT', ' §'],
  ['PRODUCT', '.md'],
  ['STYLE', '.md'],
  ['platform', '-facts'],
  ['aks-arm', '-api'],
  ['upgrades-prechecks', '-http'],
  ['shared/', 'reference'],
  ['shared/', 'conformance'],
  ['reference ', '§'],
].map((parts) => parts.join(''));

describe('the repository stands alone', () => {
  it('has files to check (the walk found the sources, tests and docs)', () => {
    const names = files.map(rel);
    expect(names).toEqual(expect.arrayContaining(['README.md', 'shared/deps.ts', 'docs/settings.md']));
  });

  it('names no document that lives outside the repository', () => {
    const hits = files.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return FORBIDDEN.filter((word) => text.includes(word)).map((word) => `${rel(f)}: ${word}`);
    });
    expect(hits).toEqual([]);
  });

  it('has no relative path that climbs out of the repository root', () => {
    const hits = files.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const out: string[] = [];
      for (const m of text.matchAll(/(?<![\w.])((?:\.\.\/)+)[\w@.-]*/g)) {
        const target = path.resolve(path.dirname(f), m[0]);
        if (path.relative(ROOT, target).startsWith('..')) out.push(`${rel(f)}: ${m[0]}`);
      }
      return out;
    });
    expect(hits).toEqual([]);
  });

  it('skips no test and focuses on none', () => {
    const tests = files.filter((f) => rel(f).startsWith('test/') && f.endsWith('.ts'));
    const pattern = new RegExp(
      ['\\b(describe|it|test)\\.(skip|only|todo)\\b', '\\bx(describe|it)\\('].join('|'),
    );
    const hits = tests.filter((f) => pattern.test(readFileSync(f, 'utf8'))).map(rel);
    expect(hits).toEqual([]);
  });

  it('says where every fixture folder came from, with its licence', () => {
    const folders = readdirSync(FIXTURES_ROOT).filter((n) =>
      statSync(path.join(FIXTURES_ROOT, n)).isDirectory(),
    );
    expect(folders.length).toBeGreaterThanOrEqual(2);
    const index = readFileSync(path.join(FIXTURES_ROOT, 'SOURCES.md'), 'utf8');
    const missing = folders.filter(
      (n) => !index.includes(`\`${n}/\``) || !existsSync(path.join(FIXTURES_ROOT, n, 'SOURCES.md')),
    );
    expect(missing).toEqual([]);
    expect(index).toMatch(/licen[cs]e/i);
  });
});
