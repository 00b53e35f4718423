import table from '../../infra/logs/AksDay2Ops_CL.table.json';
import dcr from '../../infra/logs/dcr-stream.json';
import { LOG_COLUMNS, chunkRows, toLogRows } from '../../shared/notify/logRows';
import { notifyWorld, type NotifyWorld } from './helpers';
import { hugeRun, nodeImageRun } from './runs';

/** The columns of docs/records.md, in order. */
const CONTRACT = [
  'TimeGenerated',
  'RunId',
  'Job',
  'Action',
  'Outcome',
  'ClusterId',
  'Cluster',
  'Subscription',
  'ResourceGroup',
  'NodePool',
  'FromVersion',
  'ToVersion',
  'Reason',
  'Actor',
  'DurationMs',
  'Details',
];

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'datetime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /Z$/.test(value);
    case 'long':
      return value === null || (typeof value === 'number' && Number.isInteger(value));
    case 'dynamic':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return false;
  }
}

describe('Log Analytics rows (AksDay2Ops_CL)', () => {
  it('declares exactly the docs/records.md columns, the same in the table schema and the DCR stream', () => {
    const tableCols = table.properties.schema.columns.map((c) => ({ name: c.name, type: c.type }));
    const streamCols = dcr.streamDeclarations['Custom-AksDay2Ops_CL'].columns;
    expect(tableCols.map((c) => c.name)).toEqual(CONTRACT);
    expect(streamCols).toEqual(tableCols);
    expect(dcr.dataFlows).toEqual([
      expect.objectContaining({
        streams: ['Custom-AksDay2Ops_CL'],
        transformKql: 'source',
        outputStream: 'Custom-AksDay2Ops_CL',
      }),
    ]);
    expect(LOG_COLUMNS.map((c) => c.name)).toEqual(CONTRACT);
  });

  it('builds one row per outcome, with empty strings for what an outcome does not have', () => {
    const run = nodeImageRun();
    const rows = toLogRows(run);
    expect(rows).toHaveLength(run.outcomes.length);
    const tag = rows.find((r) => r.Action === 'tag-check');
    expect(tag).toMatchObject({
      NodePool: '',
      FromVersion: '',
      ToVersion: '',
      DurationMs: null,
      Outcome: 'Skipped',
    });
    expect(tag?.Details).toEqual({
      tag: 'day2-stop',
      value: '0 25 * * *',
      dryRun: false,
      rowId: `${run.runId}/3`,
    });
  });

  it('cuts the rows of a 5,000-cluster run into outbox entries that each fit one table entity', () => {
    const rows = toLogRows(hugeRun(5000));
    const chunks = chunkRows(rows);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(rows);
    for (const c of chunks) expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThanOrEqual(400_000);
  });

  describe('as received by the simulated Logs Ingestion API', () => {
    let w: NotifyWorld;
    beforeEach(async () => {
      w = await notifyWorld();
    });
    afterEach(async () => {
      await w.close();
    });

    it('sends rows with exactly the declared columns and types', async () => {
      const run = nodeImageRun();
      await w.notifier().report(run);
      const received = await w.logRows();
      expect(received).toHaveLength(run.outcomes.length);
      const columns = dcr.streamDeclarations['Custom-AksDay2Ops_CL'].columns;
      for (const { row } of received) {
        expect(Object.keys(row).sort()).toEqual(columns.map((c) => c.name).sort());
        for (const c of columns) {
          if (!hasType(row[c.name], c.type))
            throw new Error(`column ${c.name} should be ${c.type}, got ${JSON.stringify(row[c.name])}`);
        }
      }
    });
  });
});
