/**
 * The house shows its rooms: product code (the functions and the jobs they run) never imports the
 * simulator, the command line, the demo, the bench, the local environment or the chaos tooling, and
 * the build ships only product code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
/** Folders of shared/ that are tools around the product, not the product. */
const TOOL_FOLDERS = ['sim', 'cli', 'demo', 'bench', 'local', 'chaos'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

/** The tool folder a repository path lies in, if any (`shared/sim/server` → `sim`). */
function toolFolder(rel: string): string | undefined {
  const [top, folder] = rel.split(path.sep);
  return top === 'shared' && folder !== undefined && TOOL_FOLDERS.includes(folder) ? folder : undefined;
}

const productFiles = [...tsFiles(path.join(ROOT, 'functions')), ...tsFiles(path.join(ROOT, 'shared'))].filter(
  (f) => toolFolder(path.relative(ROOT, f)) === undefined,
);

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]*)['"]/gm;

/** Relative imports of a file that land in a tool folder, as `file -> target`. */
function violations(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(SPECIFIER)].flatMap((m) => {
    const target = path.relative(ROOT, path.resolve(path.dirname(file), m[1]!));
    return toolFolder(target) ? [`${path.relative(ROOT, file)} -> ${target}`] : [];
  });
}

describe('the import rule', () => {
  it('finds the product code (functions and the job folders of shared/)', () => {
    const rel = productFiles.map((f) => path.relative(ROOT, f));
    expect(rel).toEqual(
      expect.arrayContaining(['functions/powerSchedule.ts', 'shared/deps.ts', 'shared/power/plan.ts']),
    );
    expect(rel.filter((r) => toolFolder(r))).toEqual([]);
  });

  it('sees an import into a tool folder when there is one', () => {
    const probe = path.join(ROOT, 'shared', 'power', 'probe.ts');
    const text = "import { startSimulator } from '../sim/server';\nimport x from '../deps';\n";
    const found = [...text.matchAll(SPECIFIER)].map((m) =>
      path.relative(ROOT, path.resolve(path.dirname(probe), m[1]!)),
    );
    expect(found.map(toolFolder)).toEqual(['sim', undefined]);
  });

  it('keeps product code from importing the simulator, CLI, demo, bench, local environment or chaos tooling', () => {
    expect(productFiles.flatMap(violations)).toEqual([]);
  });

  it('builds only product code: tsconfig.build.json leaves every tool folder out', () => {
    const build = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
      exclude?: string[];
    };
    expect(build.include).toEqual(['functions/**/*.ts', 'shared/**/*.ts']);
    expect([...(build.exclude ?? [])].sort()).toEqual(TOOL_FOLDERS.map((f) => `shared/${f}/**`).sort());
  });
});
