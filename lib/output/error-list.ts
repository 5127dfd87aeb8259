import type { ExportOutput } from './export-output.js';
import { Spool } from './spool.js';

/** One failed file: `[file name, message]`, as the reference writes them. */
export type ErrorEntry = [name: string, message: string];

export const ERROR_LIST_FILE = 'error_file_list.json';

/**
 * The per-file failures of an export, written as the reference's `error_file_list.json`:
 * `{"json_file_name": [[name, message]…], "origin_file_name": [[name, message]…]}`, 4-space
 * indent, non-ASCII kept, and only when something failed. JSON and original failures are kept
 * apart because one can fail without the other. Entries are sorted by file name, so the file does
 * not depend on the order in which concurrent saves finished.
 */
export class ErrorList {
  private readonly json: Spool<ErrorEntry>;
  private readonly origin: Spool<ErrorEntry>;
  /** Set on views made by `observe`. */
  private readonly onError?: (list: 'json' | 'origin', entry: ErrorEntry) => void;

  constructor(output: ExportOutput) {
    this.json = new Spool(output.workPath('errors-json.jsonl'), { compare: compareEntries });
    this.origin = new Spool(output.workPath('errors-origin.jsonl'), { compare: compareEntries });
  }

  /** A data (JSON) file that could not be written, or an item that never got that far. */
  addJson(fileName: string, message: string): void {
    this.json.append([fileName, message]);
    this.onError?.('json', [fileName, message]);
  }

  addOrigin(fileName: string, message: string): void {
    this.origin.append([fileName, message]);
    this.onError?.('origin', [fileName, message]);
  }

  /** A view of this list that also tells `onError` of each entry added through it (one item's failures). */
  observe(onError: (list: 'json' | 'origin', entry: ErrorEntry) => void): ErrorList {
    return Object.create(this, { onError: { value: onError } }) as ErrorList;
  }

  get size(): number {
    return this.json.size + this.origin.size;
  }

  get counts(): { json_file_name: number; origin_file_name: number } {
    return { json_file_name: this.json.size, origin_file_name: this.origin.size };
  }

  /** Writes `error_file_list.json` through the output when there is anything to report. */
  async writeTo(output: ExportOutput): Promise<boolean> {
    if (this.size === 0) return false;
    let text = '{\n    "json_file_name": ';
    text += await listText(this.json);
    text += ',\n    "origin_file_name": ';
    text += await listText(this.origin);
    text += '\n}';
    await output.writeFile(ERROR_LIST_FILE, text);
    return true;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.json.dispose(), this.origin.dispose()]);
  }
}

/** By file name, then message: the same failures give the same file, whatever order items finished in. */
function compareEntries(a: ErrorEntry, b: ErrorEntry): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/** A JSON array nested one level deep, formatted as Python's `json.dump(indent=4)` does. */
async function listText(spool: Spool<ErrorEntry>): Promise<string> {
  if (spool.size === 0) return '[]';
  const parts: string[] = [];
  for await (const entry of spool.values()) {
    parts.push(`        ${JSON.stringify(entry, null, 4).replace(/\n/g, '\n        ')}`);
  }
  return `[\n${parts.join(',\n')}\n    ]`;
}
