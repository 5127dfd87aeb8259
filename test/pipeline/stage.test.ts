import { describe, expect, it } from 'vitest';
import { stage } from '../../lib/pipeline/stage.js';
import { ExportError } from '../../lib/errors.js';
import type { ExportItem } from '../../lib/types.js';
import { collect, records, sleep } from '../helpers/records.js';

describe('stage', () => {
  it('keeps source order with concurrency > 1 while items finish out of order', async () => {
    let active = 0;
    let maxActive = 0;
    const out = await collect(
      records(60),
      stage<ExportItem, ExportItem>(
        async (item) => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          // Later items finish first within each window.
          await sleep(((60 - Number(item.id)) % 7) * 2);
          active -= 1;
          return { ...item, data: { converted: item.id } };
        },
        { name: 'convertData', concurrency: 4 },
      ),
    );
    expect(out.map((r) => r.id)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(out.every((r) => r.status === 'pending')).toBe(true);
    expect(out[9]!.item!.data).toEqual({ converted: 10 });
    expect(maxActive).toBeGreaterThan(1);
    expect(maxActive).toBeLessThanOrEqual(4);
  });

  it('turns null and undefined into skipped records and passes them on', async () => {
    const out = await collect(
      records(5),
      stage<ExportItem, ExportItem>((item) => (item.id === 2 ? null : item.id === 4 ? undefined : item), { name: 'beforeConvert' }),
    );
    expect(out.map((r) => r.status)).toEqual(['pending', 'skipped', 'pending', 'skipped', 'pending']);
    expect(out[1]!.item).toBeNull();
  });

  it('turns a throw (sync or async) into a failed record naming the step, and goes on', async () => {
    const out = await collect(
      records(4),
      stage<ExportItem, ExportItem>(
        (item) => {
          if (item.id === 2) throw new Error('bad geometry');
          if (item.id === 3) return Promise.reject(new ExportError('typed failure', { code: 'ERR_CUSTOM' }));
          return item;
        },
        { name: 'convertData' },
      ),
    );
    expect(out).toHaveLength(4);
    expect(out[1]).toMatchObject({ id: 2, status: 'failed', failure: { step: 'convertData', message: 'bad geometry', code: 'ERR_HOOK_FAILED' } });
    expect(out[2]).toMatchObject({ id: 3, status: 'failed', failure: { code: 'ERR_CUSTOM', message: 'typed failure' } });
    expect(out[3]!.status).toBe('pending');
  });

  it('never calls the hook for settled records and keeps them in place', async () => {
    const input = records(3);
    input[1]!.status = 'failed';
    input[1]!.failure = { code: 'X', message: 'earlier', step: 'source' };
    const seen: unknown[] = [];
    const out = await collect(
      input,
      stage<ExportItem, ExportItem>(
        async (item) => {
          seen.push(item.id);
          await sleep(5);
          return item;
        },
        { name: 'afterConvert', concurrency: 3 },
      ),
    );
    expect(seen).toEqual([1, 3]);
    expect(out.map((r) => [r.id, r.status])).toEqual([
      [1, 'pending'],
      [2, 'failed'],
      [3, 'pending'],
    ]);
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => stage((item) => item, { name: 'x', concurrency: 0 })).toThrow(/concurrency must be a positive integer/);
    expect(() => stage((item) => item, { name: 'x', concurrency: 1.5 })).toThrow(ExportError);
  });
});
