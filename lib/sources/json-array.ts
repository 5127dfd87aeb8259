import type { Readable } from 'node:stream';
import chain from 'stream-chain';
import parser from 'stream-json/parser.js';
import pick from 'stream-json/filters/pick.js';
import streamArray from 'stream-json/streamers/stream-array.js';
import { messageOf } from '../errors.js';
import { SourceFailure } from './source-failure.js';

export interface JsonArrayOptions {
  /**
   * Where the array is: absent for a top-level array, or the key that holds it in a top-level
   * object (a paginated API response's `results`).
   */
  key?: string;
}

/**
 * Streams the elements of a JSON array one at a time with stream-json, so a document of any size
 * is read in constant memory. A syntax error ends the document: nothing after it can be trusted,
 * so it is yielded as one `SourceFailure` naming the element where reading stopped.
 */
export async function* parseJsonArray(input: Readable, label: string, options: JsonArrayOptions = {}): AsyncGenerator<unknown> {
  const steps = options.key === undefined ? [parser(), streamArray()] : [parser(), pick({ filter: options.key }), streamArray()];
  const elements = chain(steps as never) as unknown as AsyncIterable<{ key: number; value: unknown }>;
  input.pipe(elements as unknown as NodeJS.WritableStream);
  input.once('error', (error) => (elements as unknown as Readable).destroy(error));
  let next = 0;
  try {
    for await (const { key, value } of elements) {
      next = key + 1;
      yield value;
    }
  } catch (error) {
    yield new SourceFailure(`${label} element ${next}`, `${messageOf(error)}; the rest of the document could not be read`);
  }
}
