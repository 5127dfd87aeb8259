/**
 * What a source yields in place of an item it could not read (a malformed JSONL line, a broken
 * array element). The pipeline records it as a failed item and goes on with the next one.
 */
export class SourceFailure {
  constructor(
    /** Where in the input: `items.jsonl line 7`, `element 12`. */
    readonly location: string,
    readonly message: string,
  ) {}
}
