import { messageOf } from '../errors.js';
import { SourceFailure } from './source-failure.js';

/**
 * Parses JSON Lines as they arrive: one `JSON.parse` per line (the fastest way to read JSONL in
 * Node), blank lines ignored, a bad line yielded as a `SourceFailure` naming its line number so
 * the lines after it still export. A UTF-8 BOM at the start is dropped.
 */
export async function* parseJsonLines(input: AsyncIterable<Buffer | string>, label: string, firstLine = 0): AsyncGenerator<unknown> {
  // TextDecoder decodes UTF-8 about twice as fast as StringDecoder (and drops a leading BOM).
  const decoder = new TextDecoder();
  // The unfinished last line of the chunks so far.
  let rest = '';
  // Lines before the input's first, when it is a slice of a bigger file (a shard): messages name the file's line.
  let lineNumber = firstLine;
  let first = true;

  /** The line's value, a SourceFailure for a bad line, undefined for a blank one (which JSON.parse never gives). */
  const parseLine = (line: string): unknown => {
    lineNumber += 1;
    if (line.trim() === '') return undefined;
    try {
      return JSON.parse(line);
    } catch (error) {
      return new SourceFailure(`${label} line ${lineNumber}`, messageOf(error));
    }
  };

  for await (const chunk of input) {
    for (let text of typeof chunk === 'string' ? [chunk] : decodedPieces(chunk, decoder)) {
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        // Only the line begun in an earlier piece is joined: `rest + text` would copy the whole piece.
        const value = parseLine(start === 0 && rest !== '' ? rest + text.slice(0, end) : text.slice(start, end));
        if (start === 0) rest = '';
        if (value !== undefined) yield value;
        start = end + 1;
      }
      rest += text.slice(start);
    }
  }
  rest += decoder.decode();
  if (rest !== '') {
    const value = parseLine(rest);
    if (value !== undefined) yield value;
  }
}

/**
 * Bytes decoded at once, at most: the text of a whole 64 KB read holding any character beyond
 * Latin-1 takes two bytes a character, which puts it in V8's large-object space, straight into the
 * old generation, where it stays until a full GC (a 100k-item read peaked 25 MB higher so). Pieces
 * of this size decode to young strings that die with their lines.
 */
const DECODED_PIECE = 1 << 15;

/** The chunk decoded in pieces of at most DECODED_PIECE bytes that end after a line break, when one is near. */
function* decodedPieces(chunk: Uint8Array, decoder: InstanceType<typeof TextDecoder>): Generator<string> {
  for (let start = 0; start < chunk.length; ) {
    let end = start + DECODED_PIECE >= chunk.length ? chunk.length : chunk.lastIndexOf(10, start + DECODED_PIECE) + 1;
    // A line longer than a piece: cut after its break, or at the chunk's end.
    if (end <= start) end = chunk.indexOf(10, start) + 1 || chunk.length;
    yield decoder.decode(chunk.subarray(start, end), { stream: true });
    start = end;
  }
}
