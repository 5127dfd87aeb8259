import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { afterEach, beforeEach } from 'vitest';

import { SourceFailure } from '../../lib/sources/source-failure.js';

export { collect } from '../helpers/collect.js';

export function failures(values: unknown[]): SourceFailure[] {
  return values.filter((value): value is SourceFailure => value instanceof SourceFailure);
}

/** A byte stream (like stdin, not object mode) that delivers `chunks` one at a time. */
export function byteStream(chunks: Array<Buffer | string>): Readable {
  return Readable.from(
    chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)),
    { objectMode: false },
  );
}

/** A fresh temporary folder per test, removed afterwards; `write` puts a file in it. */
export function useTempDir(): { dir: () => string; write: (name: string, content: string | Buffer) => Promise<string> } {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'synapse-export-sources-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    dir: () => dir,
    write: async (name, content) => {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
  };
}
