import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { fanOut, type Sink } from '../../lib/pipeline/fan-out.js';
import { windowed } from '../../lib/pipeline/window.js';
import { stage } from '../../lib/pipeline/stage.js';
import type { ExportRecord, ExportStatus } from '../../lib/types.js';
import { collect, records, sleep } from '../helpers/records.js';

function sink(name: string, decide: (record: ExportRecord) => ExportStatus, delayMs = 0): Sink & { seen: number[] } {
  const seen: number[] = [];
  return {
    name,
    seen,
    async write(record) {
      if (delayMs) await sleep(delayMs);
      seen.push(record.index);
      return decide(record);
    },
  };
}

describe('fanOut', () => {
  it('gives every record to every sink and fails a record when any sink fails it', async () => {
    const json = sink('data_file', () => 'success');
    const originals = sink('original_file', (r) => (r.id === 3 ? 'failed' : 'success'), 1);
    const out = await collect(records(5), fanOut([json, originals], { window: 2 }));
    expect(json.seen.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(originals.seen.sort()).toEqual([1, 2, 3, 4, 5]);
    const third = out.find((r) => r.id === 3)!;
    expect(third.status).toBe('failed');
    expect(third.outcomes).toEqual({ data_file: 'success', original_file: 'failed' });
    expect(out.filter((r) => r.status === 'success')).toHaveLength(4);
  });

  it('passes settled records through without calling the sinks', async () => {
    const input = records(3);
    input[0]!.status = 'skipped';
    const json = sink('data_file', () => 'success');
    const out = await collect(input, fanOut([json]));
    expect(json.seen.sort()).toEqual([2, 3]);
    expect(out.find((r) => r.id === 1)!.status).toBe('skipped');
  });

  it('rejects the pipeline when a sink itself breaks', async () => {
    const broken: Sink = {
      name: 'broken',
      write: () => Promise.reject(new Error('disk gone')),
    };
    await expect(collect(records(3), fanOut([broken]))).rejects.toThrow('disk gone');
  });
});

describe('windowed backpressure', () => {
  it('never has more records in flight than the window, and the source never runs far ahead (100,000 items)', async () => {
    const window = 8;
    const total = 100_000;
    let produced = 0;
    let completed = 0;
    let maxAhead = 0;
    let active = 0;
    let maxActive = 0;
    async function* source(): AsyncGenerator<ExportRecord> {
      for (let i = 1; i <= total; i++) {
        produced += 1;
        maxAhead = Math.max(maxAhead, produced - completed);
        yield { index: i, id: i, item: { id: i, data: {}, files: {} }, status: 'pending' };
      }
    }
    const slow = windowed(
      async (record) => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        // A slow sink: yields to the event loop on every record, waits a timer every 1,000.
        if (record.index % 1000 === 0) await sleep(1);
        else await new Promise<void>((resolve) => setImmediate(resolve));
        active -= 1;
        completed += 1;
        record.status = 'success';
      },
      { window },
    );
    let counted = 0;
    await pipeline(
      Readable.from(source()),
      stage((item) => item, { name: 'convertData' }),
      slow,
      new Writable({
        objectMode: true,
        write(_record, _encoding, callback) {
          counted += 1;
          callback();
        },
      }),
    );
    expect(counted).toBe(total);
    expect(maxActive).toBeLessThanOrEqual(window);
    expect(slow.maxInFlight).toBe(window);
    // Ahead of the sink can only be: the window, the stage's buffers (16 in + 16 out),
    // the window's own input buffer (8) and Readable.from's read-ahead.
    expect(maxAhead).toBeLessThanOrEqual(window + 16 + 16 + window + 2);
  });
});
