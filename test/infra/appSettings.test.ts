import fs from 'node:fs';
import path from 'node:path';
import { SETTING_DEFAULTS, SETTING_NAMES } from '../../shared/config/settings';

// App settings are the contract between infra/ and loadSettings (docs/settings.md). These tests read the
// Bicep as text: no Bicep CLI is needed, and a renamed setting on either side fails here.

const INFRA = path.join(__dirname, '..', '..', 'infra');
const read = (rel: string): string => fs.readFileSync(path.join(INFRA, rel), 'utf8');

/**
 * Settings the app reads only locally; never set in Azure. `AzureWebJobsStorage` is the connection-string
 * form (Azurite); Azure uses the identity-based `AzureWebJobsStorage__*` settings instead.
 */
const LOCAL_ONLY = ['DAY2_AUTH', 'DAY2_LOCAL_CA_CERT', 'AzureWebJobsStorage'];

/** Settings that belong to the Functions host / Azure SDK, not to loadSettings. */
const HOST_SETTINGS = [
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
  'AZURE_CLIENT_ID',
  // Identity-based host storage: the host also needs blobs (timer locks, deployment) and queues.
  'AzureWebJobsStorage__blobServiceUri',
  'AzureWebJobsStorage__queueServiceUri',
];

/** Flex Consumption deprecations: set elsewhere (functionAppConfig) or by the platform, or unsupported. */
const FLEX_FORBIDDEN = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'FUNCTIONS_WORKER_RUNTIME_VERSION',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_NODE_DEFAULT_VERSION',
  'WEBSITE_TIME_ZONE',
  'TZ',
];

/** Text of the bracketed block that opens at `opener` (e.g. "appSettings: ["), brackets balanced. */
function blockAfter(text: string, opener: string): string {
  const start = text.indexOf(opener);
  if (start < 0) throw new Error(`"${opener}" not found`);
  const open = start + opener.length - 1;
  const closeChar = text[open] === '[' ? ']' : '}';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === text[open]) depth++;
    else if (text[i] === closeChar && --depth === 0) return text.slice(open + 1, i);
  }
  throw new Error(`unbalanced block after "${opener}"`);
}

const stripComments = (bicep: string): string => bicep.replace(/^\s*\/\/.*$/gm, '');

function appSettingNames(): string[] {
  const block = stripComments(blockAfter(read('modules/functionapp.bicep'), 'appSettings: ['));
  return [...block.matchAll(/\bname:\s*'([^']+)'/g)].map((m) => m[1]!);
}

/** Parameters of main.bicep tagged `@metadata({ appSetting: 'X' })`, with their default literal. */
function appSettingParams(): Map<string, { param: string; default?: string }> {
  const main = read('main.bicep');
  const out = new Map<string, { param: string; default?: string }>();
  const re =
    /@metadata\(\{\s*appSetting:\s*'([^']+)'\s*\}\)[\s\S]*?\nparam\s+(\w+)\s+\w+(?:\s*=\s*('([^']*)'|-?\d+|true|false|\{\}))?/g;
  for (const m of main.matchAll(re)) {
    const literal = m[4] ?? m[3];
    out.set(m[1]!, { param: m[2]!, default: literal });
  }
  return out;
}

describe('infra app settings', () => {
  it('sets every setting the app reads in Azure, and nothing else besides the host settings', () => {
    const expected = [...SETTING_NAMES.filter((n) => !LOCAL_ONLY.includes(n)), ...HOST_SETTINGS].sort();
    expect([...appSettingNames()].sort()).toEqual(expected);
  });

  it('sets each app setting once', () => {
    const names = appSettingNames();
    expect(names.length).toBe(new Set(names).size);
  });

  it('leaves DAY2_AUTH, DAY2_LOCAL_CA_CERT and the connection-string AzureWebJobsStorage out because they are local only', () => {
    expect(SETTING_NAMES).toEqual(expect.arrayContaining(LOCAL_ONLY));
    for (const name of LOCAL_ONLY) expect(appSettingNames()).not.toContain(name);
  });

  it('sets none of the settings that Flex Consumption deprecates', () => {
    for (const name of FLEX_FORBIDDEN) expect(appSettingNames()).not.toContain(name);
  });

  it('declares the Node 22 runtime in functionAppConfig rather than in app settings', () => {
    const runtime = blockAfter(read('modules/functionapp.bicep'), 'runtime: {');
    expect(runtime).toMatch(/name:\s*'node'/);
    expect(runtime).toMatch(/version:\s*'22'/);
  });

  it('gives every documented default a Bicep parameter whose default is the same value', () => {
    const params = appSettingParams();
    const defaults = Object.entries(SETTING_DEFAULTS).filter(([name]) => name !== 'DAY2_LOGS_STREAM');
    for (const [name, value] of defaults) {
      expect({ name, default: params.get(name)?.default }).toEqual({ name, default: value });
    }
  });

  it('sends to the stream the DCR declares, which is the documented default stream', () => {
    const dcr = JSON.parse(read('logs/dcr-stream.json')) as {
      streamDeclarations: Record<string, unknown>;
      dataFlows: { streams: string[] }[];
    };
    expect(dcr.dataFlows[0]!.streams[0]).toBe(SETTING_DEFAULTS.DAY2_LOGS_STREAM);
    expect(Object.keys(dcr.streamDeclarations)).toEqual([SETTING_DEFAULTS.DAY2_LOGS_STREAM]);
    expect(read('modules/monitoring.bicep')).toMatch(
      /var logsStream = dcrParts\.dataFlows\[0\]\.streams\[0\]/,
    );
  });

  it('ties each parameter tag to a real setting name', () => {
    for (const name of appSettingParams().keys()) expect(SETTING_NAMES).toContain(name);
  });

  it('starts a new deployment in dry-run, the one default that deliberately differs from the app', () => {
    expect(appSettingParams().get('DAY2_DRY_RUN')?.default).toBe('true');
    expect(read('main.bicep')).toMatch(/dryRun: dryRun \? 'true' : 'false'/);
  });

  it('keeps the Teams secrets in Key Vault and passes only Key Vault references to the app', () => {
    const main = read('main.bicep');
    expect(main).toMatch(/@secure\(\)\s*\n(?:@description\([^\n]*\)\s*\n)?param teamsWebhookUrl string/);
    expect(main).toMatch(/@secure\(\)\s*\n(?:@description\([^\n]*\)\s*\n)?param teamsOutgoingSecret string/);
    expect(main).toMatch(
      /teamsWebhookUrlRef: [^\n]*'@Microsoft\.KeyVault\(SecretUri=\$\{storage\.outputs\.teamsWebhookSecretUri\}\)'/,
    );
    expect(main).toMatch(
      /teamsOutgoingSecretRef: [^\n]*'@Microsoft\.KeyVault\(SecretUri=\$\{storage\.outputs\.teamsOutgoingSecretUri\}\)'/,
    );
  });
});

describe('infra custom roles', () => {
  it('keeps run-command in its own role, created only with enableRunCommand', () => {
    expect(read('modules/operator-role.bicep')).toMatch(
      /resource runCommandRole '[^']+' = if \(enableRunCommand\)/,
    );
    expect(read('modules/operator-role.bicep')).toMatch(/var runCommandActions = roleActions\.runCommand/);
  });
});
