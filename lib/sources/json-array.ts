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
 *
 * The parser runs as a pull pipeline (no Node streams in between), so every element parsed
 * before an error has been yielded when the error arrives; a Node stream would drop what it
 * buffered. The parser also loses the tokens of the piece of text it fails on, so each chunk is
 * fed in pieces that end where an element ends.
 */
export async function* parseJsonArray(input: AsyncIterable<Buffer | string>, label: string, options: JsonArrayOptions = {}): AsyncGenerator<unknown> {
  // Loaded on first use: only JSON-array sources need stream-json, and it costs about 9 MB of RSS.
  const [{ gen, none }, { default: parser }, { default: pick }, { default: streamArray }] = await Promise.all([
    import('stream-chain/core'),
    import('stream-json/parser.js'),
    import('stream-json/filters/pick.js'),
    import('stream-json/streamers/stream-array.js'),
  ]);
  const steps = options.key === undefined ? [parser(), streamArray()] : [parser(), pick({ filter: options.key }), streamArray()];
  const elements = (gen as (...fns: unknown[]) => (chunk: unknown) => AsyncGenerator<{ key: number; value: unknown }>)(...steps);
  const splitter = elementSplitter(options.key === undefined ? 1 : 2);
  let next = 0;
  try {
    for await (const chunk of input) {
      for (const piece of splitter(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) {
        for await (const { key, value } of elements(piece)) {
          next = key + 1;
          yield value;
        }
      }
    }
    for await (const { key, value } of elements(none)) {
      next = key + 1;
      yield value;
    }
  } catch (error) {
    yield new SourceFailure(`${label} element ${next}`, `${messageOf(error)}; the rest of the document could not be read`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;

/**
 * Cuts chunks after each byte that ends a value at `depth` (a `}` or `]` closing it, or the
 * `,` after it), tracking strings and nesting across chunks. Only where the pieces end depends on
 * this; any cut is valid input for the parser, so a confused count costs nothing but precision.
 * Every byte it looks for is ASCII, so a cut never splits a UTF-8 character.
 */
function elementSplitter(depth: number): (chunk: Buffer) => Buffer[] {
  let level = 0;
  let inString = false;
  let escaped = false;
  return (chunk) => {
    const pieces: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (byte === BACKSLASH) escaped = true;
        else if (byte === QUOTE) inString = false;
        continue;
      }
      if (byte === QUOTE) inString = true;
      else if (byte === 0x7b || byte === 0x5b) level += 1;
      else if (byte === 0x7d || byte === 0x5d) {
        level -= 1;
        if (level === depth) {
          pieces.push(chunk.subarray(start, i + 1));
          start = i + 1;
        }
      } else if (byte === COMMA && level === depth && i > start) {
        pieces.push(chunk.subarray(start, i + 1));
        start = i + 1;
      }
    }
    if (start < chunk.length) pieces.push(chunk.subarray(start));
    return pieces;
  };
}
