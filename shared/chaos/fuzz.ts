/**
 * Hostile inputs for the chaos run (fast-check, seeded): tag values as Azure allows them (at most 256
 * characters, any Unicode: CJK, zero-width, control characters, almost-right crons and dates) and
 * Event Grid payloads of every bad shape (wrong types, huge topics and subjects, nested junk).
 */
import fc from 'fast-check';

const nearCron = fc.oneof(
  fc.constantFrom(
    '-1 * * * *',
    '0,0 19 * * *',
    '0 25 * * *',
    '0 19 * * 1-5\u200b',
    '0 19 30 2 *',
    '*/0 * * * *',
  ),
  fc
    .tuple(
      ...Array.from({ length: 5 }, () =>
        fc.oneof(
          fc.integer({ min: -5, max: 70 }).map(String),
          fc.constantFrom('*', '*/5', '1-5', 'H', 'mon', ''),
        ),
      ),
    )
    .map((f) => f.join(' ')),
);
const nearDate = fc.oneof(
  fc.constantFrom('2026-02-30', '2026-13-01', '24/12/2026', '2026-12-24\u0000', ''),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);
const anyText = fc.string({ unit: 'binary', maxLength: 256 });
const cjk = fc.string({
  unit: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)),
  minLength: 128,
  maxLength: 256,
});

/** A tag value Azure would accept (≤ 256 characters). */
export const tagValue: fc.Arbitrary<string> = fc
  .oneof(
    nearCron,
    nearDate,
    anyText,
    cjk,
    fc.array(nearDate, { maxLength: 40 }).map((d) => d.join(',')),
  )
  .map((v) => [...v].slice(0, 256).join(''));

export const TAG_KEYS = [
  'day2-stop',
  'day2-start',
  'day2-timezone',
  'day2-skip',
  'day2-ring',
  'day2-node-image',
  'day2-upgrade',
  'day2-protect',
] as const;

export function fuzzTags(n: number, seed: number): Array<Record<string, string>> {
  return fc.sample(fc.dictionary(fc.constantFrom(...TAG_KEYS), tagValue, { minKeys: 1, maxKeys: 4 }), {
    numRuns: n,
    seed,
  });
}

const longText = fc.integer({ min: 300, max: 6000 }).map((n) => 'x'.repeat(n));
const aksType = fc.constantFrom(
  'Microsoft.ContainerService.NodePoolRollingFailed',
  'Microsoft.ContainerService.NodePoolRollingSucceeded',
  'Microsoft.ContainerService.ClusterSupportEnded',
  'Microsoft.ContainerService.NewKubernetesVersionAvailable',
);

/** An Event Grid delivery body that is wrong in some way (or several). */
export function fuzzEvents(n: number, seed: number): unknown[] {
  const event = fc.record(
    {
      id: fc.oneof(fc.uuid(), anyText, fc.integer(), longText),
      eventType: fc.oneof(aksType, anyText),
      topic: fc.oneof(longText, anyText, fc.constant(null)),
      subject: fc.oneof(longText, anyText, cjk, fc.integer()),
      eventTime: fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        anyText,
        fc.integer(),
      ),
      data: fc.oneof(
        fc.jsonValue(),
        fc.record({ nodePoolName: fc.oneof(anyText, longText) }),
        fc.array(fc.integer()),
      ),
      dataVersion: fc.constant('1'),
    },
    { requiredKeys: [] },
  );
  return fc.sample(fc.oneof(event, fc.array(event, { maxLength: 3 }), fc.jsonValue(), anyText), {
    numRuns: n,
    seed,
  });
}
