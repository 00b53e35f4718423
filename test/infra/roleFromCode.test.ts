/**
 * The custom roles are written from the code. The SDK operations the product code calls (found with the
 * type checker, test/infra/sdkOperations.ts) are looked up in infra/roles/sdk-operations.json; the ARM
 * actions they need must be exactly the actions of infra/roles/roles.json, which the Bicep deploys.
 * A new SDK call fails here until the table says what it needs and the role grants it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, sdkOperationsUsed, type SdkUse } from './sdkOperations';

type Role = 'operator' | 'runCommand' | 'deployer';
interface Entry {
  grants: Partial<Record<Role, string[]>>;
  why: string;
  source: string;
  pending?: string;
  dataPlane?: { file: string; roleDefinitionId: string };
}
const readJson = <T>(rel: string): T => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as T;
const table = readJson<{ sources: Record<string, string>; operations: Record<string, Entry> }>(
  'infra/roles/sdk-operations.json',
);
const roles = readJson<Record<'operator' | 'runCommand', string[]>>('infra/roles/roles.json');

/** Files whose Azure calls run as the person deploying (`aks-day2 events wire`), never as the app. */
const DEPLOYER_FILES = /^shared\/events\/wire[A-Za-z]*\.ts$/;

let uses: SdkUse[];
let used: Set<string>;
beforeAll(() => {
  uses = sdkOperationsUsed();
  used = new Set(uses.map((u) => u.operation));
}, 180_000);

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();
const needed = (role: Role): string[] =>
  sorted(
    Object.entries(table.operations)
      .filter(([op, e]) => used.has(op) || e.pending !== undefined)
      .flatMap(([, e]) => e.grants[role] ?? []),
  );

describe('custom roles written from the code', () => {
  it('finds the SDK calls of the product code, including a method passed as a value', () => {
    expect(used).toContain('@azure/arm-containerservice ManagedClustersOperations.stop');
    // restore.ts hands `client.agentPools.createOrUpdate` to restorePoller without calling it.
    expect(uses).toContainEqual({
      operation: '@azure/arm-containerservice AgentPoolsOperations.createOrUpdate',
      file: 'shared/operations/restore.ts',
    });
  });

  it('knows what every SDK operation the product code calls needs', () => {
    const unknown = sorted(
      uses.filter((u) => !(u.operation in table.operations)).map((u) => `${u.operation} (${u.file})`),
    );
    expect(unknown).toEqual([]);
  });

  it('lists no operation the code does not call, unless marked pending', () => {
    const stale = Object.entries(table.operations)
      .filter(([op, e]) => !used.has(op) && e.pending === undefined)
      .map(([op]) => op);
    expect(stale).toEqual([]);
  });

  it('drops the pending mark once the call has landed', () => {
    const landed = Object.entries(table.operations)
      .filter(([op, e]) => used.has(op) && e.pending !== undefined)
      .map(([op]) => op);
    expect(landed).toEqual([]);
  });

  it('grants the operator role exactly the actions those operations need', () => {
    expect(sorted(roles.operator)).toEqual(needed('operator'));
  });

  it('grants the run-command role exactly the run-command actions, and keeps them out of the operator role', () => {
    expect(sorted(roles.runCommand)).toEqual(needed('runCommand'));
    for (const a of roles.runCommand) expect(roles.operator).not.toContain(a);
  });

  it('calls Event Grid only from the wiring that the deploying user runs, so the app needs no Event Grid action', () => {
    const deployerOps = new Set(
      Object.entries(table.operations)
        .filter(([, e]) => e.grants.deployer)
        .map(([op]) => op),
    );
    const outside = uses.filter((u) => deployerOps.has(u.operation) && !DEPLOYER_FILES.test(u.file));
    expect(outside).toEqual([]);
    expect(roles.operator.filter((a) => a.startsWith('Microsoft.EventGrid/'))).toEqual([]);
  });

  it('backs every data-plane operation with a role assignment in the Bicep', () => {
    for (const e of Object.values(table.operations).filter((x) => x.dataPlane)) {
      const bicep = fs.readFileSync(path.join(ROOT, 'infra', e.dataPlane!.file), 'utf8');
      expect(bicep).toContain(e.dataPlane!.roleDefinitionId);
    }
  });

  it('names a source for every entry and uses no wildcard', () => {
    for (const [op, e] of Object.entries(table.operations)) {
      const keys = e.source.split(',').map((s) => s.trim());
      for (const k of keys)
        expect({ op, source: k, known: k in table.sources }).toEqual({ op, source: k, known: true });
      for (const a of Object.values(e.grants).flat()) expect(a).toMatch(/^Microsoft\.[A-Za-z]+\/[A-Za-z/]+$/);
    }
    for (const a of [...roles.operator, ...roles.runCommand]) expect(a).not.toContain('*');
  });
});
