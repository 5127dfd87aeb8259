import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { ExportStatus, ItemId } from '../types.js';
import { ByteBatch } from './byte-batch.js';
import type { ErrorEntry } from './error-list.js';
import type { ManifestFileEntry } from './export-output.js';

/** The journal's file name inside an export directory; it is removed when the export completes. */
export const JOURNAL_FILE = '.synapse-export-journal.jsonl';

/** What one saved item produced: enough to skip it on resume and still list it in the manifest. */
export interface JournalEntry {
  /** The item's 1-based position in the source. */
  i: number;
  id: ItemId | undefined;
  status: 'success' | 'failed';
  files: ManifestFileEntry[];
  errors: { json: ErrorEntry[]; origin: ErrorEntry[] };
  metrics: Record<string, ExportStatus>;
}

export interface JournalOptions {
  /** Bytes gathered before a write. Default 256 KiB. */
  batchBytes?: number;
  /** Longest wait before gathered entries are written. Default 200 ms. */
  flushMs?: number;
}

/**
 * The append-only record of saved items that makes an interrupted export resumable. Entries are
 * gathered and written in batches (no fsync per item): a crash loses at most the last batch, and
 * those items are simply saved again on resume.
 */
export class ExportJournal {
  private readonly file: WriteStream;
  /** Entries gathered as UTF-8 bytes: as one string, each batch was flattened in the old generation. */
  private readonly pending: ByteBatch;
  private timer: NodeJS.Timeout | null = null;
  private failure: Error | null = null;
  private closing: Promise<void> | null = null;
  private readonly flushMs: number;

  constructor(path: string, options: JournalOptions = {}) {
    this.flushMs = options.flushMs ?? 200;
    this.file = createWriteStream(path, { flags: 'a' });
    this.file.on('error', (error) => {
      this.failure ??= error;
    });
    this.pending = new ByteBatch(options.batchBytes ?? 256 * 1024, (bytes) => this.file.write(bytes));
  }

  append(entry: JournalEntry): void {
    this.pending.appendText(`${JSON.stringify(entry)}\n`);
    if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Writes what is gathered and closes the file; a write error surfaces here. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.flush();
      this.file.end();
      if (!this.file.closed) await once(this.file, 'close').catch(() => undefined);
      if (this.failure !== null) throw this.failure;
    })();
    return this.closing;
  }

  private flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.pending.flush();
  }

  /** The entries of a journal file; a torn last line (a crash mid-write) is passed over. */
  static async *read(path: string): AsyncGenerator<JournalEntry> {
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const line of lines) {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        continue;
      }
      yield entry;
    }
  }
}
