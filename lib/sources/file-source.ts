import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import type { ItemSource } from './item-source.js';
import { parseJsonArray } from './json-array.js';
import { parseJsonLines } from './jsonl.js';

/** Item files a dataset folder may hold, in the order they are looked for. */
export const DATASET_ITEM_FILES = ['items.jsonl', 'items.ndjson', 'items.json'] as const;

export type InputFormat = 'jsonl' | 'json';

/** What sniffing an input found: JSONL, or a JSON array either at the top or under an object's key. */
interface Layout {
  format: InputFormat;
  /** Set when the array sits in a top-level object. */
  objectKey: boolean;
}

export interface FileSourceOptions {
  /** Forces the format; otherwise `.jsonl`/`.ndjson` mean JSONL and anything else is sniffed. */
  format?: InputFormat;
  /** For a JSON object input, the key holding the array. Default `results`. */
  arrayKey?: string;
}

/**
 * An input path as a source: a JSONL or JSON file, or a dataset folder holding `items.jsonl`
 * (or `items.json`) with media referenced by paths relative to the folder.
 */
export async function openInput(path: string, options: FileSourceOptions = {}): Promise<ItemSource> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch((error: unknown) => {
    throw unreadable(path, error);
  });
  if (!info.isDirectory()) return fileSource(absolute, options);
  for (const name of DATASET_ITEM_FILES) {
    const candidate = join(absolute, name);
    if (await stat(candidate).then((s) => s.isFile(), () => false)) return fileSource(candidate, options);
  }
  throw new ExportError(`${path} is a folder without ${DATASET_ITEM_FILES.join(' or ')}; give an items file or a dataset folder`, {
    code: ErrorCode.INPUT_UNREADABLE,
    fileName: path,
  });
}

/** A JSONL or JSON-array file; relative media paths resolve against its folder. */
export async function fileSource(path: string, options: FileSourceOptions = {}): Promise<ItemSource> {
  const layout = await detectFileLayout(path, options);
  const label = basename(path);
  return {
    description: path,
    baseDirectory: dirname(path),
    replayable: true,
    items: () => parseStream(createReadStream(path), layout, label, options),
    count: layout.format === 'jsonl' ? () => countLines(path) : async () => undefined,
  };
}

/** A stream of JSONL or a JSON array (standard input); the first non-blank byte tells which. */
export function streamSource(input: Readable, options: FileSourceOptions & { description?: string } = {}): ItemSource {
  const description = options.description ?? 'standard input';
  return {
    description,
    items: async function* () {
      const { head, stream } = await sniffStream(input);
      // On a pipe, `{` starts JSONL: one object per line is what streams carry.
      // A format given in the options wins over sniffing, as it does for files.
      const json = options.format === 'json' || (options.format === undefined && head.startsWith('['));
      const layout: Layout = json ? { format: 'json', objectKey: head.startsWith('{') } : { format: 'jsonl', objectKey: false };
      yield* parseStream(stream, layout, description, options);
    },
  };
}

function parseStream(stream: Readable, layout: Layout, label: string, options: FileSourceOptions): AsyncGenerator<unknown> {
  if (layout.format === 'jsonl') return parseJsonLines(stream, label);
  return parseJsonArray(stream, label, layout.objectKey ? { key: options.arrayKey ?? 'results' } : {});
}

async function detectFileLayout(path: string, options: FileSourceOptions): Promise<Layout> {
  const extension = extname(path).toLowerCase();
  if (options.format === 'jsonl' || (options.format === undefined && (extension === '.jsonl' || extension === '.ndjson'))) {
    return { format: 'jsonl', objectKey: false };
  }
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw unreadable(path, error);
  });
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    // A `.json` file is one document: an array, or an object holding one. Other files are JSONL.
    if (head.startsWith('[')) return { format: 'json', objectKey: false };
    if (head.startsWith('{') && (extension === '.json' || options.format === 'json')) return { format: 'json', objectKey: true };
    return { format: 'jsonl', objectKey: false };
  } finally {
    await handle.close();
  }
}

/** Reads until the first non-blank character, then hands back a stream that replays it. */
async function sniffStream(input: Readable): Promise<{ head: string; stream: Readable }> {
  const replay = new PassThrough();
  const seen: Buffer[] = [];
  let head = '';
  input.on('error', (error) => replay.destroy(error));
  input.pause();
  for await (const chunk of input.iterator({ destroyOnReturn: false })) {
    seen.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    head = Buffer.concat(seen).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (head !== '') break;
  }
  for (const buffer of seen) replay.write(buffer);
  if (input.readableEnded) replay.end();
  else input.pipe(replay);
  return { head, stream: replay };
}

/** Non-blank lines of a file, counted without parsing: gives progress a total. */
async function countLines(path: string): Promise<number> {
  let count = 0;
  let lineHasContent = false;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      if (lineHasContent || hasContent(chunk, start, end)) count += 1;
      lineHasContent = false;
      start = end + 1;
    }
    lineHasContent ||= hasContent(chunk, start, chunk.length);
  }
  return lineHasContent ? count + 1 : count;
}

/** Whether bytes [start, end) hold anything but blanks; short-circuits on the first one. */
function hasContent(chunk: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = chunk[i]!;
    if (byte !== 0x20 && byte !== 0x0d && byte !== 0x09) return true;
  }
  return false;
}

function unreadable(path: string, error: unknown): ExportError {
  return new ExportError(`Cannot read the input ${path}: ${messageOf(error)}`, {
    code: ErrorCode.INPUT_UNREADABLE,
    fileName: path,
    cause: error,
  });
}
