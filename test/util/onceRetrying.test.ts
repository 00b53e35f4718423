import { oncePerKeyRetrying, onceRetrying } from '../../shared/util/onceRetrying';

describe('a one-time task (the move of rows an earlier version stored)', () => {
  it('runs once for every caller, at once or later', async () => {
    let runs = 0;
    const move = onceRetrying(async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 5));
      return runs;
    });
    expect(await Promise.all([move(), move(), move()])).toEqual([1, 1, 1]);
    expect(await move()).toBe(1);
    expect(runs).toBe(1);
  });

  it('runs again after a failure, and not after it succeeded', async () => {
    let runs = 0;
    const move = onceRetrying(async () => {
      runs++;
      if (runs === 1) throw new Error('storage unavailable');
      return runs;
    });
    await expect(move()).rejects.toThrow('storage unavailable');
    expect(await move()).toBe(2);
    expect(await move()).toBe(2);
    expect(runs).toBe(2);
  });

  it('keeps each key apart: one failing does not run or stop another', async () => {
    const seen: string[] = [];
    const move = oncePerKeyRetrying(async (scope) => {
      seen.push(scope);
      if (scope === 'bad' && seen.filter((s) => s === 'bad').length === 1) throw new Error('boom');
      return scope.toUpperCase();
    });
    await expect(move('bad')).rejects.toThrow('boom');
    expect(await move('good')).toBe('GOOD');
    expect(await move('good')).toBe('GOOD');
    expect(await move('bad')).toBe('BAD');
    expect(seen).toEqual(['bad', 'good', 'bad']);
  });
});
