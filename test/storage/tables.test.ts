import { isLoopbackStorage, tableClient } from '../../shared/storage/tables';

const KEY = Buffer.from('not-a-real-key').toString('base64');

describe('the Table storage layer allows plain HTTP only for a storage emulator on this machine', () => {
  it.each([
    'UseDevelopmentStorage=true',
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;`,
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${KEY};TableEndpoint=http://localhost:10002/devstoreaccount1;`,
  ])('treats %s as a loopback emulator', (cs) => {
    expect(isLoopbackStorage(cs)).toBe(true);
  });

  it.each([
    `DefaultEndpointsProtocol=http;AccountName=prod;AccountKey=${KEY};EndpointSuffix=core.windows.net`,
    `DefaultEndpointsProtocol=http;AccountName=prod;AccountKey=${KEY};TableEndpoint=http://prod.table.core.windows.net/;`,
    `DefaultEndpointsProtocol=http;AccountName=prod;AccountKey=${KEY};TableEndpoint=http://127.0.0.1.example.com/;`,
  ])('treats %s as a remote account', (cs) => {
    expect(isLoopbackStorage(cs)).toBe(false);
  });

  it('refuses a plain-HTTP remote account when a request is made', async () => {
    const t = tableClient(
      `DefaultEndpointsProtocol=http;AccountName=prod;AccountKey=${KEY};TableEndpoint=http://prod.table.core.windows.net/;`,
      'day2ops',
    );
    await expect(t.createTable()).rejects.toThrow(/insecure|https/i);
  });

  it('refuses a table name Azure would refuse, naming it', () => {
    expect(() => tableClient('UseDevelopmentStorage=true', 'day2-ops')).toThrow(
      /"day2-ops" is not a valid table name/,
    );
  });
});
