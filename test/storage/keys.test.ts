import { boundedKey } from '../../shared/storage/keys';
import { keyOf } from '../../shared/storage/tables';
import { isTransient } from '../../shared/events/transient';
import { Day2Error } from '../../shared/errors';
import { visible } from '../../shared/util/visible';

describe('keys built from text a user controls', () => {
  it('keeps a short, clean key as it is, so keys written before still match', () => {
    expect(boundedKey('aks-dev-weu-01')).toBe('aks-dev-weu-01');
    const id = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/a';
    expect(keyOf(id)).toBe(Buffer.from(id.toLowerCase()).toString('base64url'));
  });

  it.each([
    ['256 characters', 'x'.repeat(256)],
    ['CJK', '停'.repeat(256)],
    ['forbidden characters', 'a/b\\c#d?e\u0001'],
    ['a tilde', 'a~b'],
  ])('bounds and hashes a key with %s into a short valid key', (_, text) => {
    const k = boundedKey(text);
    expect(Buffer.byteLength(k, 'utf8')).toBeLessThanOrEqual(100);
    expect(k).not.toMatch(/[/\\#?\u0000-\u001f]/);
    expect(k).not.toBe(boundedKey(`${text}!`));
  });

  it('gives two long texts that differ only at the end two different keys', () => {
    expect(boundedKey(`${'x'.repeat(300)}a`)).not.toBe(boundedKey(`${'x'.repeat(300)}b`));
  });
});

describe('quoting a value in a message', () => {
  it('shows zero-width and control characters and cuts long values, saying how long they were', () => {
    expect(visible('0 19 * * 1-5\u200b')).toBe('0 19 * * 1-5\\u{200b}');
    expect(visible('a\tb\u0000')).toBe('a\\u{0009}b\\u{0000}');
    expect(visible('x'.repeat(300), 10)).toBe('xxxxxxxxxx… (300 characters)');
  });
});

describe('which event failures Event Grid should redeliver', () => {
  it('retries throttling and unavailable storage, but not a storage refusal of what the event carried', () => {
    expect(isTransient(new Day2Error('StorageFailed', 'x', { statusCode: 503 }))).toBe(true);
    expect(isTransient(new Day2Error('StorageFailed', 'x'))).toBe(true);
    expect(isTransient(new Day2Error('Throttled', 'x', { statusCode: 429 }))).toBe(true);
    expect(isTransient(new Day2Error('StorageFailed', 'InvalidInput', { statusCode: 400 }))).toBe(false);
    expect(isTransient(new Day2Error('Refused', 'x'))).toBe(false);
  });
});
