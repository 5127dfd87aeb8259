import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Transform } from 'node:stream';
import type { ExportItem, ExportRecord } from '../../lib/types.js';

/** Pending records for items 1..n (`{id, data: {n}, files: {}}`). */
export function records(n: number): ExportRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    index: i + 1,
    id: i + 1,
    item: { id: i + 1, data: { n: i + 1 }, files: {} } as ExportItem,
    status: 'pending' as const,
  }));
}

/** Runs records through the given streams and returns what comes out, in order. */
export async function collect(input: Iterable<ExportRecord> | AsyncIterable<ExportRecord>, ...streams: Transform[]): Promise<ExportRecord[]> {
  const out: ExportRecord[] = [];
  await pipeline(
    Readable.from(input),
    ...(streams as [Transform]),
    new Writable({
      objectMode: true,
      write(record: ExportRecord, _encoding, callback) {
        out.push(record);
        callback();
      },
    }),
  );
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
