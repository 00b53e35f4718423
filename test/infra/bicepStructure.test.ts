/**
 * The Bicep cannot be compiled here (no Bicep CLI: infra/README.md gives the `az deployment sub what-if`
 * command that validates it against Azure). These tests read it structurally with test/infra/bicep.ts:
 * the azd parameters file, module wiring (params passed = params declared), outputs used, resource types
 * and API versions, files loaded, and the deploy-time fixes (keyless storage, Flex regions, hooks,
 * package contents).
 */
import fs from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import yaml from 'js-yaml';
import { parseBicep, type BicepFile } from './bicep';

const ROOT = path.join(__dirname, '..', '..');
const INFRA = path.join(ROOT, 'infra');
const main = parseBicep(path.join(INFRA, 'main.bicep'));
const modules = new Map<string, BicepFile>(
  main.modules.map((m) => [m.symbol, parseBicep(path.join(INFRA, m.path))]),
);
const allFiles = [main, ...new Set(modules.values())];
const rel = (f: BicepFile): string => path.relative(INFRA, f.file);

/** API version of each resource type, all GA (no -preview), documented for the type at that version. */
const API_VERSIONS: Record<string, string> = {
  'Microsoft.Resources/resourceGroups': '2024-03-01',
  'Microsoft.ManagedIdentity/userAssignedIdentities': '2023-01-31',
  'Microsoft.OperationalInsights/workspaces': '2023-09-01',
  'Microsoft.OperationalInsights/workspaces/tables': '2022-10-01',
  'Microsoft.Insights/components': '2020-02-02',
  'Microsoft.Insights/dataCollectionEndpoints': '2023-03-11',
  'Microsoft.Insights/dataCollectionRules': '2023-03-11',
  'Microsoft.Insights/actionGroups': '2023-01-01',
  'Microsoft.Insights/scheduledQueryRules': '2023-12-01',
  'Microsoft.Insights/workbooks': '2023-06-01',
  'Microsoft.Authorization/roleAssignments': '2022-04-01',
  'Microsoft.Authorization/roleDefinitions': '2022-04-01',
  'Microsoft.Storage/storageAccounts': '2023-05-01',
  'Microsoft.Storage/storageAccounts/blobServices': '2023-05-01',
  'Microsoft.Storage/storageAccounts/blobServices/containers': '2023-05-01',
  'Microsoft.Storage/storageAccounts/managementPolicies': '2023-05-01',
  'Microsoft.KeyVault/vaults': '2023-07-01',
  'Microsoft.KeyVault/vaults/secrets': '2023-07-01',
  'Microsoft.Web/serverfarms': '2024-04-01',
  'Microsoft.Web/sites': '2024-04-01',
};

const paramsFileText = fs.readFileSync(path.join(INFRA, 'main.parameters.json'), 'utf8');

describe('azd parameters file', () => {
  it('is JSON as written, before azd substitutes anything (azd parses it first)', () => {
    expect(() => JSON.parse(paramsFileText) as unknown).not.toThrow();
  });

  it('quotes every ${VAR}, so the substituted file is still JSON', () => {
    const parsed = JSON.parse(paramsFileText) as { parameters: Record<string, { value: unknown }> };
    const inStrings = Object.values(parsed.parameters)
      .map((p) => p.value)
      .filter((v): v is string => typeof v === 'string')
      .flatMap((v) => [...v.matchAll(/\$\{[^}]+\}/g)].map((m) => m[0]));
    const everywhere = [...paramsFileText.matchAll(/\$\{[^}]+\}/g)].map((m) => m[0]);
    expect(everywhere.length).toBeGreaterThan(0);
    expect(inStrings.sort()).toEqual(everywhere.sort());
  });

  it('gives array, bool and int parameters defaults that parse as JSON of their type', () => {
    const parsed = JSON.parse(paramsFileText) as { parameters: Record<string, { value: string }> };
    for (const [name, { value }] of Object.entries(parsed.parameters)) {
      const type = main.params.get(name)?.type;
      if (type === 'string' || type === undefined) continue;
      const m = /^\$\{[A-Z0-9_]+=(.*)\}$/.exec(value);
      expect({ name, hasDefault: m !== null }).toEqual({ name, hasDefault: true });
      const v = JSON.parse(m![1]!) as unknown;
      const actual = Array.isArray(v)
        ? 'array'
        : typeof v === 'boolean'
          ? 'bool'
          : typeof v === 'number'
            ? 'int'
            : typeof v;
      expect({ name, type: actual }).toEqual({ name, type });
    }
  });

  it('names only parameters main.bicep declares, and every one without a default', () => {
    const parsed = JSON.parse(paramsFileText) as { parameters: Record<string, unknown> };
    for (const name of Object.keys(parsed.parameters)) expect(main.params.has(name)).toBe(true);
    const required = [...main.params.values()].filter((p) => p.default === undefined).map((p) => p.name);
    expect(required.filter((n) => !(n in parsed.parameters))).toEqual([]);
  });
});

describe('Bicep structure', () => {
  it('passes each module exactly the parameters it declares, and every required one', () => {
    for (const m of main.modules) {
      const mod = modules.get(m.symbol)!;
      const passed = [...(m.body.objects.get('params')?.raw.keys() ?? [])].sort();
      const declared = [...mod.params.keys()];
      const required = [...mod.params.values()].filter((p) => p.default === undefined).map((p) => p.name);
      expect({ module: m.path, unknown: passed.filter((p) => !declared.includes(p)) }).toEqual({
        module: m.path,
        unknown: [],
      });
      expect({ module: m.path, missing: required.filter((p) => !passed.includes(p)) }).toEqual({
        module: m.path,
        missing: [],
      });
    }
  });

  it('reads only outputs the modules declare', () => {
    const text = fs.readFileSync(main.file, 'utf8');
    for (const [, sym, out] of text.matchAll(/\b(\w+)\.outputs\.(\w+)/g)) {
      const mod = modules.get(sym!);
      expect({ ref: `${sym}.outputs.${out}`, exists: mod?.outputs.has(out!) ?? false }).toEqual({
        ref: `${sym}.outputs.${out}`,
        exists: true,
      });
    }
  });

  it('deploys each resource type at its listed GA API version', () => {
    for (const f of allFiles)
      for (const r of f.resources) {
        expect({ file: rel(f), type: r.type, apiVersion: r.apiVersion }).toEqual({
          file: rel(f),
          type: r.type,
          apiVersion: API_VERSIONS[r.type],
        });
      }
  });

  it('loads only files that exist in the repository', () => {
    for (const f of allFiles)
      for (const l of f.loads)
        expect({
          file: rel(f),
          load: l,
          exists: fs.existsSync(path.resolve(path.dirname(f.file), l)),
        }).toEqual({ file: rel(f), load: l, exists: true });
  });

  it('names every role assignment guid(scope, principal, role) so redeploying does not duplicate it', () => {
    const assignments = allFiles.flatMap((f) =>
      f.resources
        .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')
        .map((r) => ({ file: rel(f), name: r.body.raw.get('name') })),
    );
    expect(assignments.length).toBeGreaterThan(5);
    for (const a of assignments) expect(a.name).toMatch(/^guid\([^,]+, [\w.()]+, [\w.]+\)$/);
  });

  it("offers only regions that have Flex Consumption, through azd's location picker", () => {
    const location = main.params.get('location')!;
    const allowed = location.decorators.find((d) => d.name === 'allowed');
    expect(allowed).toBeDefined();
    const regions = [...allowed!.args.matchAll(/'([a-z0-9]+)'/g)].map((m) => m[1]);
    expect(regions).toEqual(expect.arrayContaining(['westeurope', 'eastus', 'swedencentral']));
    expect(regions).not.toContain('westindia');
    expect(location.decorators.find((d) => d.name === 'metadata')?.args).toMatch(
      /azd:\s*\{\s*type:\s*'location'/,
    );
  });

  it('keeps storage keyless: shared keys off, no listKeys, identity-based host storage with the data roles', () => {
    const storage = modules.get('storage')!;
    const account = storage.resources.find((r) => r.type === 'Microsoft.Storage/storageAccounts')!;
    expect(account.body.objects.get('properties')!.raw.get('allowSharedKeyAccess')).toBe('false');
    for (const f of allFiles) expect(fs.readFileSync(f.file, 'utf8')).not.toMatch(/listKeys\(|AccountKey=/);
    const roleNames = storage.vars.get('roles') ?? '';
    for (const role of [
      'storageBlobDataOwner',
      'storageQueueDataContributor',
      'storageTableDataContributor',
    ]) {
      expect(roleNames).toContain(role);
      expect(
        storage.resources.some((r) =>
          r.body.objects.get('properties')?.raw.get('roleDefinitionId')?.includes(`roles.${role}`),
        ),
      ).toBe(true);
    }
    const app = fs.readFileSync(path.join(INFRA, 'modules', 'functionapp.bicep'), 'utf8');
    expect(app).toMatch(/name: 'AzureWebJobsStorage__credential', value: 'managedidentity'/);
    expect(app).not.toMatch(/name: 'AzureWebJobsStorage',/);
  });

  it('sends alerts to an action group whose e-mail is an azd parameter', () => {
    expect(
      (JSON.parse(paramsFileText) as { parameters: Record<string, { value: string }> }).parameters.alertEmail!
        .value,
    ).toBe('${DAY2_ALERT_EMAIL}');
    const alerts = modules.get('alerts')!;
    const group = alerts.resources.find((r) => r.type === 'Microsoft.Insights/actionGroups')!;
    expect(group.body.objects.get('properties')!.raw.get('emailReceivers')).toContain(
      'emailAddress: alertEmail',
    );
    const rule = alerts.resources.find((r) => r.type === 'Microsoft.Insights/scheduledQueryRules')!;
    expect(rule.body.objects.get('properties')!.raw.get('scopes')).toBe('[ workspaceId ]');
    expect(rule.body.objects.get('properties')!.objects.get('actions')!.raw.get('actionGroups')).toBe(
      '[ actionGroup.id ]',
    );
  });
});

describe('deployment package and azd project', () => {
  const ig = ignore().add(fs.readFileSync(path.join(ROOT, '.funcignore'), 'utf8'));

  it('leaves sources, tests, docs, infra, git and local state out of the Functions package', () => {
    for (const p of [
      '.git/HEAD',
      '.gitignore',
      'test/events/wire.int.test.ts',
      'docs/x.md',
      'out/demo-report.html',
      '.azure/prod/.env',
      'infra/main.bicep',
      'shared/deps.ts',
      'functions/aksEvents.ts',
      'local.settings.json',
    ])
      expect({ p, ignored: ig.ignores(p) }).toEqual({ p, ignored: true });
  });

  it('keeps what Azure runs: host.json, package.json, the compiled app and the JSON it imports', () => {
    for (const p of [
      'host.json',
      'package.json',
      'dist/functions/aksEvents.js',
      'dist/shared/deps.js',
      'dist/infra/logs/dcr-stream.json',
      'node_modules/@azure/functions/package.json',
    ])
      expect({ p, ignored: ig.ignores(p) }).toEqual({ p, ignored: false });
  });

  it('keeps azd environments (which hold secrets) out of git', () => {
    expect(
      ignore()
        .add(fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8'))
        .ignores('.azure/prod/.env'),
    ).toBe(true);
  });

  it("wires the clusters' events after each deploy, when the aksEvents function exists", () => {
    const azd = yaml.load(fs.readFileSync(path.join(ROOT, 'azure.yaml'), 'utf8')) as {
      hooks: Record<string, Record<string, { run: string }>>;
    };
    expect(Object.keys(azd.hooks)).toEqual(['postdeploy']);
    for (const shell of ['posix', 'windows'])
      expect(azd.hooks.postdeploy![shell]!.run).toMatch(/aks-day2\.js events wire$/);
    for (const name of [
      'AZURE_FUNCTION_APP_ID',
      'DAY2_EVENTS_DEADLETTER_STORAGE_ID',
      'DAY2_EVENTS_DEADLETTER_CONTAINER',
      'DAY2_EVENTS_IDENTITY_ID',
    ])
      expect(main.outputs.has(name)).toBe(true);
  });
});
