import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Root of the fixtures copied into the repository (provenance and licences: test/fixtures/SOURCES.md). */
export const FIXTURES_ROOT = path.resolve(__dirname, '../fixtures');

/**
 * Absolute path of a fixture folder or file under test/fixtures. Throws when it is absent: a test
 * whose fixtures are missing fails loudly, never skips.
 */
export function fixturePath(...parts: string[]): string {
  const p = path.join(FIXTURES_ROOT, ...parts);
  if (!existsSync(p)) {
    throw new Error(
      `fixture ${path.relative(FIXTURES_ROOT, p)} is missing from test/fixtures (see test/fixtures/SOURCES.md)`,
    );
  }
  return p;
}

/** The `.json` files of a fixture folder, sorted; throws when the folder is absent or holds none. */
export function fixtureJsonFiles(...parts: string[]): string[] {
  const dir = fixturePath(...parts);
  if (!statSync(dir).isDirectory()) throw new Error(`fixture ${dir} is not a folder`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`fixture folder ${dir} holds no .json file`);
  return files;
}

/** A fixture file's text. */
export function fixtureText(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}

/** A fixture file parsed as JSON. */
export function fixtureJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(fixtureText(...parts)) as T;
}
