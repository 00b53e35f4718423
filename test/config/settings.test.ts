import { loadSettings, SETTING_DEFAULTS } from '../../shared/config/settings';
import { Day2Error } from '../../shared/errors';
import { settingWindowContains } from '../../shared/config/maintenanceWindowSetting';

const STORAGE = 'UseDevelopmentStorage=true';

function errorOf(env: NodeJS.ProcessEnv): Day2Error {
  try {
    loadSettings(env);
  } catch (err) {
    if (err instanceof Day2Error) return err;
    throw err;
  }
  throw new Error('expected loadSettings to throw');
}

describe('loadSettings', () => {
  it('applies the documented defaults when only storage is set', () => {
    const s = loadSettings({ AzureWebJobsStorage: STORAGE });
    expect(s).toMatchObject({
      subscriptions: [],
      armEndpoint: 'https://management.azure.com',
      auth: 'default',
      dryRun: false,
      defaultTimezone: 'UTC',
      catchupMinutes: 30,
      supportWarnDays: 60,
      ringSoakHours: 24,
      crons: {
        power: SETTING_DEFAULTS.DAY2_POWER_CRON,
        nodeImage: SETTING_DEFAULTS.DAY2_NODE_IMAGE_CRON,
        version: SETTING_DEFAULTS.DAY2_VERSION_CRON,
        sweep: SETTING_DEFAULTS.DAY2_SWEEP_CRON,
      },
      chatopsRoles: {},
    });
    expect(s.logs).toBeUndefined();
    expect(s.teamsWebhookUrl).toBeUndefined();
  });

  it('parses every setting given in its documented form', () => {
    const s = loadSettings({
      AzureWebJobsStorage: STORAGE,
      DAY2_SUBSCRIPTIONS: ' 6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7 , 8a2d3c4b-5e6f-4a70-9b81-a2c3d4e5f607',
      DAY2_DRY_RUN: 'true',
      DAY2_TEAMS_WEBHOOK_URL:
        'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x',
      DAY2_TEAMS_OUTGOING_SECRET: Buffer.from('secret-key').toString('base64'),
      DAY2_LOGS_ENDPOINT: 'https://dce-1.westeurope-1.ingest.monitor.azure.com',
      DAY2_LOGS_RULE_ID: 'dcr-0123456789abcdef0123456789abcdef',
      DAY2_CHATOPS_ROLES: '{"11111111-2222-3333-4444-555555555555":"approver"}',
      DAY2_DEFAULT_TIMEZONE: 'Europe/Paris',
      DAY2_CATCHUP_MINUTES: '45',
      DAY2_MAINTENANCE_WINDOW: 'Sat,Sun 01:00-05:00 Europe/Paris',
    });
    expect(s.subscriptions).toEqual([
      '6f1c2a3b-4d5e-4f60-8a71-92b3c4d5e6f7',
      '8a2d3c4b-5e6f-4a70-9b81-a2c3d4e5f607',
    ]);
    expect(s.dryRun).toBe(true);
    expect(s.teamsOutgoingSecret?.toString()).toBe('secret-key');
    expect(s.logs).toEqual({
      endpoint: 'https://dce-1.westeurope-1.ingest.monitor.azure.com',
      ruleId: 'dcr-0123456789abcdef0123456789abcdef',
      stream: 'Custom-AksDay2Ops_CL',
    });
    expect(s.chatopsRoles).toEqual({ '11111111-2222-3333-4444-555555555555': 'approver' });
    expect(s.catchupMinutes).toBe(45);
    expect(s.maintenanceWindow).toMatchObject({
      days: [6, 7],
      startMinute: 60,
      durationMinutes: 240,
      zone: 'Europe/Paris',
    });
  });

  it('names every bad setting and what was expected in one error', () => {
    const err = errorOf({
      DAY2_SUBSCRIPTIONS: 'not-a-guid',
      DAY2_DRY_RUN: 'yes',
      DAY2_ARM_ENDPOINT: 'http://management.azure.com',
      DAY2_CATCHUP_MINUTES: 'ten',
      DAY2_DEFAULT_TIMEZONE: 'Mars/Olympus',
      DAY2_POWER_CRON: '*/5 * * * *',
      DAY2_CHATOPS_ROLES: '{"bob":"admin"}',
      DAY2_MAINTENANCE_WINDOW: 'Funday 01:00-05:00',
    });
    expect(err.code).toBe('ConfigInvalid');
    for (const name of [
      'AzureWebJobsStorage: required',
      'DAY2_SUBSCRIPTIONS: "not-a-guid" is not a subscription id',
      'DAY2_DRY_RUN: expected "true" or "false"',
      'DAY2_ARM_ENDPOINT: expected an https:// URL',
      'DAY2_CATCHUP_MINUTES: expected a whole number',
      'DAY2_DEFAULT_TIMEZONE: expected an IANA time zone',
      'DAY2_POWER_CRON: expected a six-field NCRONTAB',
      'DAY2_CHATOPS_ROLES:',
      'DAY2_MAINTENANCE_WINDOW: "Funday" is not a day list',
    ]) {
      expect(err.message).toContain(name);
    }
  });

  it('refuses half a Logs Ingestion configuration', () => {
    const err = errorOf({
      AzureWebJobsStorage: STORAGE,
      DAY2_LOGS_ENDPOINT: 'https://dce.example.ingest.monitor.azure.com',
    });
    expect(err.message).toContain('DAY2_LOGS_ENDPOINT, DAY2_LOGS_RULE_ID: set both');
  });

  it('refuses the local fixed-token credential against a non-loopback endpoint', () => {
    const err = errorOf({ AzureWebJobsStorage: STORAGE, DAY2_AUTH: 'local' });
    expect(err.message).toContain('DAY2_AUTH: "local" is only allowed with a loopback DAY2_ARM_ENDPOINT');
  });

  it('names an unreadable CA certificate file', () => {
    const err = errorOf({ AzureWebJobsStorage: STORAGE, DAY2_LOCAL_CA_CERT: '/nonexistent/ca.pem' });
    expect(err.message).toContain('DAY2_LOCAL_CA_CERT: cannot read PEM file /nonexistent/ca.pem');
  });
});

describe('identity-based storage (what the Bicep sets in Azure)', () => {
  const IDENTITY = {
    AzureWebJobsStorage__credential: 'managedidentity',
    AzureWebJobsStorage__clientId: '11111111-2222-3333-4444-555555555555',
    AzureWebJobsStorage__tableServiceUri: 'https://staksday2.table.core.windows.net/',
  };

  it('reads the table service URI and the identity instead of a connection string', () => {
    expect(loadSettings(IDENTITY).storageConnectionString).toEqual({
      tableServiceUri: 'https://staksday2.table.core.windows.net/',
      clientId: '11111111-2222-3333-4444-555555555555',
    });
  });

  it('prefers the connection string when both are set, as the Functions host does', () => {
    expect(loadSettings({ ...IDENTITY, AzureWebJobsStorage: STORAGE }).storageConnectionString).toBe(STORAGE);
  });

  it('refuses a plain-http service URI, a credential other than managedidentity and a client id that is not a GUID', () => {
    const err = errorOf({
      AzureWebJobsStorage__tableServiceUri: 'http://staksday2.table.core.windows.net',
      AzureWebJobsStorage__credential: 'connectionstring',
      AzureWebJobsStorage__clientId: 'me',
    });
    expect(err.message).toContain('AzureWebJobsStorage__tableServiceUri: expected an https:// URL');
    expect(err.message).toContain('AzureWebJobsStorage__credential: expected "managedidentity"');
    expect(err.message).toContain('AzureWebJobsStorage__clientId: expected the client id');
  });

  it('names both forms when neither is set', () => {
    expect(errorOf({}).message).toContain('AzureWebJobsStorage__tableServiceUri');
  });
});

describe('DAY2_MAINTENANCE_WINDOW', () => {
  const w = loadSettings({
    AzureWebJobsStorage: STORAGE,
    DAY2_MAINTENANCE_WINDOW: 'Mon-Fri 22:00-04:00 Europe/Paris',
  }).maintenanceWindow!;
  it.each([
    ['Monday 22:30 Paris is inside', '2026-11-23T21:30:00Z', true],
    ['Tuesday 03:59 Paris (the Monday window crossing midnight) is inside', '2026-11-24T02:59:00Z', true],
    ['Tuesday 04:00 Paris is outside', '2026-11-24T03:00:00Z', false],
    ['Saturday 02:00 Paris (the Friday window) is inside', '2026-11-28T01:00:00Z', true],
    ['Saturday 23:00 Paris is outside', '2026-11-28T22:00:00Z', false],
    ['Monday 01:00 Paris (Sunday has no window) is outside', '2026-11-23T00:00:00Z', false],
  ])('%s', (_name, at, inside) => {
    expect(settingWindowContains(w, new Date(at))).toBe(inside);
  });
});

describe('loadSettings: messages a person can act on', () => {
  it('quotes every rejected value with invisible characters shown, and never quotes a secret', () => {
    const message = errorOf({
      AzureWebJobsStorage: STORAGE,
      DAY2_DRY_RUN: 'true\u200b',
      DAY2_RETENTION_DAYS: '9\u0000',
      DAY2_DEFAULT_TIMEZONE: 'Europe/Pariss',
      DAY2_TEAMS_WEBHOOK_URL: 'http://example.com/webhook?sig=s3cret',
    }).message;
    expect(message).toContain('DAY2_DRY_RUN: expected "true" or "false" (got "true\\u{200b}")');
    expect(message).toContain(
      'DAY2_RETENTION_DAYS: expected a whole number from 7 to 3650 (got "9\\u{0000}")',
    );
    expect(message).toContain(
      'DAY2_DEFAULT_TIMEZONE: expected an IANA time zone such as Europe/Paris (got "Europe/Pariss")',
    );
    expect(message).toContain(
      'DAY2_TEAMS_WEBHOOK_URL: expected an https:// URL (value not shown: it holds a secret)',
    );
    expect(message).not.toContain('s3cret');
  });

  it.each([
    ['0 -1 * * * *', 'DAY2_POWER_CRON: minute "-1" has a negative number; minute values are 0-59'],
    ['0 0,0 * * * *', 'DAY2_POWER_CRON: minute "0,0" gives 0 more than once; list each value once'],
    ['0 */5 * * *', 'this one has 5 fields'],
  ])('explains the timer schedule %j in words', (cron, expected) => {
    const message = errorOf({ AzureWebJobsStorage: STORAGE, DAY2_POWER_CRON: cron }).message;
    expect(message).toContain(expected);
    expect(message).toContain(`(got "${cron}")`);
  });

  it('refuses a DAY2_LOCAL_CA_CERT that is not a PEM certificate at start-up, naming the setting', () => {
    const message = errorOf({ AzureWebJobsStorage: STORAGE, DAY2_LOCAL_CA_CERT: __filename }).message;
    expect(message).toContain(`DAY2_LOCAL_CA_CERT: ${__filename} is not a PEM certificate`);
  });
});
