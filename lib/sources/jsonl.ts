import { StringDecoder } from 'node:string_decoder';
import { messageOf } from '../errors.js';
import { SourceFailure } from './source-failure.js';

/**
 * Parses JSON Lines as they arrive: one `JSON.parse` per line (the fastest way to read JSONL in
 * Node), blank lines ignored, a bad line yielded as a `SourceFailure` naming its line number so
 * the lines after it still export. A UTF-8 BOM at the start is dropped.
 */
export async function* parseJsonLines(input: AsyncIterable<Buffer | string>, label: string, firstLine = 0): AsyncGenerator<unknown> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  // Lines before the input's first, when it is a slice of a bigger file (a shard): messages name the file's line.
  let lineNumber = firstLine;
  let first = true;

  function* parseLines(text: string): Generator<unknown> {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      lineNumber += 1;
      yield* parseLine(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
  }

  function* parseLine(line: string): Generator<unknown> {
    if (line.trim() === '') return;
    try {
      yield JSON.parse(line);
    } catch (error) {
      yield new SourceFailure(`${label} line ${lineNumber}`, messageOf(error));
    }
  }

  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    yield* parseLines(rest + text);
  }
  rest += decoder.end();
  if (rest !== '') {
    lineNumber += 1;
    yield* parseLine(rest);
  }
}
