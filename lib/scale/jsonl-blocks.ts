/** Where a block of JSONL entries starts: its byte offset, and how many lines (blank ones too) come before it. */
export interface BlockStart {
  offset: number;
  line: number;
}

/** One non-blank line of a JSONL file, with where it starts. */
export interface JsonlLine {
  text: string;
  offset: number;
  /** 1-based line number, blank lines counted, as `parseJsonLines` counts them. */
  line: number;
}

/**
 * Splits JSONL bytes into lines, as `parseJsonLines` does (blank lines skipped, a BOM dropped), but
 * keeps each line's byte offset: what lets a shard read its slice with one ranged read instead of
 * parsing the file from the start.
 */
export async function* jsonlLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<JsonlLine> {
  let carry: Buffer = Buffer.alloc(0);
  let carryOffset = 0;
  let line = 0;
  let position = 0;
  let first = true;
  for await (const chunk of chunks) {
    let buffer = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
    let base = carry.length === 0 ? position : carryOffset;
    position += chunk.length;
    if (first && buffer.length >= 3) {
      first = false;
      if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) {
        buffer = buffer.subarray(3);
        base += 3;
      }
    }
    let start = 0;
    for (let end = buffer.indexOf(0x0a); end !== -1; end = buffer.indexOf(0x0a, start)) {
      line += 1;
      const text = buffer.toString('utf8', start, end);
      if (text.trim() !== '') yield { text, offset: base + start, line };
      start = end + 1;
    }
    carry = buffer.subarray(start);
    carryOffset = base + start;
  }
  if (carry.length > 0) {
    line += 1;
    const text = carry.toString('utf8');
    if (text.trim() !== '') yield { text, offset: carryOffset, line };
  }
}
