import _ from 'highland';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { toRecords } from '../../lib/exporter/to-records.js';
import type { ExportRecord } from '../../lib/types.js';
import { highlandStage, toHighland } from '../../transforms/highland.js';
import { collect as collectTransforms } from '../helpers/records.js';
import type { Duplex, Transform } from 'node:stream';

/** Records through a highland stage (a Duplex; the helper's type says Transform). */
const collect = (input: AsyncIterable<ExportRecord>, stage: Duplex) => collectTransforms(input, stage as Transform);

/** The curried top-level functions highland has and its type definitions lack. */
const h = _ as unknown as {
  pipeline(...steps: unknown[]): NodeJS.ReadWriteStream;
  map<T, U>(f: (x: T) => U): unknown;
};

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, data: {}, files: {} }));

describe('highland adapter', () => {
  it('runs a highland function as a stage', async () => {
    const out = await collect(
      toRecords(items(6)),
      highlandStage((s) => s.filter((r) => Number(r.id) % 2 === 0).map((r) => ({ ...r, item: { ...r.item!, data: { even: true } } }))),
    );
    expect(out.map((r) => [r.id, r.item!.data])).toEqual([[2, { even: true }], [4, { even: true }], [6, { even: true }]]);
  });

  it('runs a highland pipeline as a stage', async () => {
    const out = await collect(toRecords(items(3)), highlandStage(h.pipeline(h.map((r: ExportRecord) => ({ ...r, id: `x${String(r.id)}` })))));
    expect(out.map((r) => r.id)).toEqual(['x1', 'x2', 'x3']);
  });

  it('passes an error in the highland part to the pipeline', async () => {
    const failing = highlandStage((s) => s.map(() => { throw new Error('boom'); }));
    await expect(collect(toRecords(items(2)), failing)).rejects.toThrow('boom');
  });

  it('keeps backpressure: a stalled consumer stops the source after a bounded read-ahead', async () => {
    let pulled = 0;
    function* source() {
      for (const item of items(10_000)) {
        pulled += 1;
        yield item;
      }
    }
    let consumed = 0;
    let release: (() => void) | null = null;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const sink = new Writable({
      objectMode: true,
      highWaterMark: 1,
      write(_record, _encoding, callback) {
        consumed += 1;
        if (consumed === 5) stalled.then(() => callback());
        else callback();
      },
    });
    const done = pipeline(Readable.from(toRecords(source())), highlandStage((s) => s.map((r) => r)), sink);
    for (let i = 0; i < 200; i += 1) await tick();
    expect(consumed).toBe(5);
    // Buffers on the way: the source's, the adapter's two sides, highland's own: far below 10,000.
    expect(pulled).toBeLessThan(200);
    release!();
    await done;
    expect(pulled).toBe(10_000);
    expect(consumed).toBe(10_000);
  });

  it('gives an export stream to highland, which pulls from it', async () => {
    const ids = await new Promise<unknown[]>((resolve, reject) =>
      toHighland<ExportRecord>(Readable.from(toRecords(items(4))))
        .map((r) => r.id)
        .stopOnError(reject)
        .toArray(resolve),
    );
    expect(ids).toEqual([1, 2, 3, 4]);
  });
});
