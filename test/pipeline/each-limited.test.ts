import { describe, expect, it } from 'vitest';
import { eachLimited } from '../../lib/pipeline/each-limited.js';

describe('eachLimited', () => {
  it('runs every value with at most `concurrency` at once, taking the next value only when one finishes', async () => {
    let taken = 0;
    let running = 0;
    let most = 0;
    let mostAhead = 0;
    const done: number[] = [];
    function* values(): Generator<number> {
      for (let i = 0; i < 50; i++) {
        taken += 1;
        yield i;
      }
    }
    await eachLimited(values(), 4, async (value) => {
      running += 1;
      most = Math.max(most, running);
      mostAhead = Math.max(mostAhead, taken - done.length);
      await new Promise((resolve) => setTimeout(resolve, value % 3));
      running -= 1;
      done.push(value);
    });
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(most).toBe(4);
    expect(mostAhead).toBeLessThanOrEqual(4);
  });

  it('stops taking values at the first failure, waits for the running tasks, then throws it', async () => {
    let taken = 0;
    let settled = 0;
    async function* values(): AsyncGenerator<number> {
      for (let i = 0; i < 1000; i++) {
        taken += 1;
        yield i;
      }
    }
    const failure = eachLimited(values(), 3, async (value) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      settled += 1;
      if (value === 5) throw new Error('five');
    });
    await expect(failure).rejects.toThrow('five');
    expect(taken).toBeLessThan(10);
    expect(settled).toBe(taken);
  });
});
