import { Readable } from 'node:stream';

/**
 * Where export items come from. Anything iterable works; a source that knows more (its base
 * directory, how many items it holds) says so here.
 */
export interface ItemSource {
  /** Items in order; `SourceFailure`s stand for entries that could not be read. */
  items(): AsyncIterable<unknown> | Iterable<unknown>;
  /** Relative `files.path` values resolve against this directory. Default: the working directory. */
  baseDirectory?: string;
  /** How many items the source holds, when it can tell without reading them all into memory. */
  count?(): Promise<number | undefined>;
  /** Shown in messages: a file name, `standard input`… */
  description?: string;
  /** `items()` may be called again and yields the same items (a file, not a stream). */
  replayable?: boolean;
  /** Entries before this source's first when it is a slice of a bigger source (a shard): record indexes start after it. */
  firstIndex?: number;
}

export type SourceInput = ItemSource | Readable | AsyncIterable<unknown> | Iterable<unknown>;

export function isItemSource(value: unknown): value is ItemSource {
  return typeof value === 'object' && value !== null && typeof (value as ItemSource).items === 'function';
}

/** Any supported source as an `ItemSource`. An object-mode Readable or (async) iterable yields items. */
export function toItemSource(input: SourceInput): ItemSource {
  if (isItemSource(input)) return input;
  // `in` throws on a primitive; a string, though iterable, is a path given by mistake, not items.
  if (typeof input === 'object' && input !== null && (input instanceof Readable || Symbol.asyncIterator in input || Symbol.iterator in input)) {
    return { items: () => input as AsyncIterable<unknown>, description: 'stream' };
  }
  throw new TypeError('source must be an ItemSource, a Readable or an iterable of export items');
}
