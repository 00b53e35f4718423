/**
 * The Azure SDK operations the product code calls, found with the TypeScript type checker (not by text):
 * every property access or call whose symbol is declared by a tracked SDK package and is callable, named
 * `<package> <Interface or class>.<member>` (or `<package> <function>` for a free function such as
 * `restorePoller`). Aliases, destructuring into a variable and passing a method as a value are all seen,
 * because the checker resolves each use to the SDK declaration.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.join(__dirname, '..', '..');

/** Packages whose calls need an ARM permission (or a data-plane role on our own resources). */
const TRACKED = /[\\/]node_modules[\\/](@azure[\\/](?:arm-[^\\/]+|monitor-query-logs))[\\/]/;

/** Product code: functions/ and shared/, minus what never runs in Azure as the app. */
const EXCLUDED = ['shared/sim/', 'shared/cli/', 'shared/demo/', 'shared/bench/', 'shared/local/'];

export function productFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (rel.endsWith('.ts') && !rel.endsWith('.d.ts') && !EXCLUDED.some((x) => rel.startsWith(x)))
        out.push(rel);
    }
  };
  walk('functions');
  walk('shared');
  return out.sort();
}

export interface SdkUse {
  /** `@azure/arm-containerservice ManagedClustersOperations.stop` */
  operation: string;
  /** Repository-relative file of the use. */
  file: string;
}

function packageOf(fileName: string): string | undefined {
  const m = TRACKED.exec(fileName);
  return m ? m[1]!.replace(/\\/g, '/') : undefined;
}

function containerName(decl: ts.Declaration): string | undefined {
  const parent = decl.parent;
  if (ts.isInterfaceDeclaration(parent) || ts.isClassDeclaration(parent)) return parent.name?.text;
  if (ts.isTypeLiteralNode(parent) && ts.isTypeAliasDeclaration(parent.parent))
    return parent.parent.name.text;
  return undefined;
}

export function sdkOperationsUsed(files: string[] = productFiles()): SdkUse[] {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const program = ts.createProgram(
    files.map((f) => path.join(ROOT, f)),
    { ...parsed.options, noEmit: true },
  );
  const checker = program.getTypeChecker();
  const uses = new Map<string, SdkUse>();

  const record = (symbol: ts.Symbol | undefined, at: ts.Node, file: string): void => {
    if (!symbol) return;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const decl = target.declarations?.[0];
    if (!decl) return;
    const pkg = packageOf(decl.getSourceFile().fileName);
    if (!pkg) return;
    if (target.flags & ts.SymbolFlags.Class) return; // constructing a client is not an operation
    const type = checker.getTypeOfSymbolAtLocation(target, at);
    if (type.getCallSignatures().length === 0) return; // operation groups, models, fields
    const container = ts.isFunctionDeclaration(decl) ? undefined : containerName(decl);
    const operation = container ? `${pkg} ${container}.${target.name}` : `${pkg} ${target.name}`;
    uses.set(`${operation}|${file}`, { operation, file });
  };

  for (const rel of files) {
    const sf = program.getSourceFile(path.join(ROOT, rel));
    if (!sf) throw new Error(`not in the program: ${rel}`);
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node)) record(checker.getSymbolAtLocation(node.name), node, rel);
      else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression))
        record(checker.getSymbolAtLocation(node.expression), node, rel);
      else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        // const { stop } = client.managedClusters
        const name = node.propertyName ?? node.name;
        if (ts.isIdentifier(name)) {
          const parentType = checker.getTypeAtLocation(node.parent);
          record(parentType.getProperty(name.text), node, rel);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return [...uses.values()].sort(
    (a, b) => a.operation.localeCompare(b.operation) || a.file.localeCompare(b.file),
  );
}
