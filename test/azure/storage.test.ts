import { tableClient } from '../../shared/storage/tables';

describe('table storage connection', () => {
  it('reaches a table under the service URI the deployment sets, with or without its trailing slash', () => {
    for (const uri of [
      'https://staksday2.table.core.windows.net/',
      'https://staksday2.table.core.windows.net',
    ]) {
      const client = tableClient(
        { tableServiceUri: uri, clientId: '11111111-2222-3333-4444-555555555555' },
        'day2Runs',
      );
      expect({ url: client.url, table: client.tableName }).toEqual({
        url: 'https://staksday2.table.core.windows.net',
        table: 'day2Runs',
      });
    }
  });

  it('still takes a connection string, as Azurite gives one locally', () => {
    const client = tableClient(
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;',
      'day2Runs',
    );
    expect({ url: client.url, table: client.tableName }).toEqual({
      url: 'http://127.0.0.1:10002/devstoreaccount1',
      table: 'day2Runs',
    });
  });
});
