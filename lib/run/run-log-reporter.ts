import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { ErrorCode, ExportError, messageOf } from '../errors.js';
import { once } from 'node:events';
import type { ExportRun } from './export-run.js';
import type { ExportRunEvents } from './events.js';
import type { Reporter } from './reporter.js';

/** Events written to the run log: all of them. */
const EVENTS: ReadonlyArray<keyof ExportRunEvents> = [
  'message',
  'export_event',
  'export_data_file',
  'export_original_file',
  'progress',
  'metrics',
  'dev_event',
];

export interface RunLogReporterOptions {
  /** Bytes gathered before a write. Default 64 KiB. */
  batchBytes?: number;
  /** Longest wait before gathered lines are written. Default 250 ms. */
  flushMs?: number;
}

/**
 * Writes every run event as one JSON line `{event, data, datetime}` (the platform's log record
 * shape) to a file. Lines are gathered and written in batches, so a million per-item events
 * cost a few thousand writes, not a million.
 */
export class RunLogReporter implements Reporter {
  private file: WriteStream | null;
  private pending = '';
  private timer: NodeJS.Timeout | null = null;
  private readonly batchBytes: number;
  private readonly flushMs: number;

  constructor(
    private readonly path: string,
    options: RunLogReporterOptions = {},
  ) {
    this.batchBytes = options.batchBytes ?? 64 * 1024;
    this.flushMs = options.flushMs ?? 250;
    // Opened now so that an unwritable log path is a clear error before the export starts.
    let fd: number;
    try {
      fd = openSync(path, 'a');
    } catch (error) {
      throw new ExportError(`Cannot open the run log ${path}: ${messageOf(error)}`, { code: ErrorCode.OUTPUT_UNWRITABLE, fileName: path, cause: error });
    }
    this.file = createWriteStream(path, { fd });
    this.file.on('error', (error) => {
      this.failure ??= error;
    });
  }

  /** A write error of the log, if one happened; the export itself goes on without its log. */
  failure: Error | null = null;

  attach(run: ExportRun): void {
    for (const event of EVENTS) {
      run.on(event, (data: unknown) => this.add(event, data));
    }
  }

  async close(): Promise<void> {
    if (this.file === null) return;
    this.flush();
    const file = this.file;
    this.file = null;
    file.end();
    await once(file, 'close');
  }

  private add(event: string, data: unknown): void {
    this.pending += `${JSON.stringify({ event, data, datetime: new Date().toISOString() })}\n`;
    if (this.pending.length >= this.batchBytes) this.flush();
    else if (this.timer === null) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  private flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.pending === '' || this.file === null) return;
    this.file.write(this.pending);
    this.pending = '';
  }
}
