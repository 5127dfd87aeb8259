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
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      // Only the line begun in an earlier chunk is joined: `rest + text` would copy the whole chunk.
      const value = parseLine(start === 0 && rest !== '' ? rest + text.slice(0, end) : text.slice(start, end));
      if (start === 0) rest = '';
      if (value !== undefined) yield value;
      start = end + 1;
    }
    rest += text.slice(start);
  }
  rest += decoder.decode();
  if (rest !== '') {
    const value = parseLine(rest);
    if (value !== undefined) yield value;
  }
}
