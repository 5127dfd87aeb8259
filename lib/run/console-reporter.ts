import type { ExportRun } from './export-run.js';
import type { ProgressEvent } from './events.js';
import type { Reporter } from './reporter.js';

export interface ConsoleReporterOptions {
  /** Where to write; default standard error, so standard output stays free for `--json` and pipes. */
  stream?: NodeJS.WriteStream;
  /** Only warnings and errors. */
  quiet?: boolean;
  /** Draw a live bar (default: when the stream is a terminal). */
  tty?: boolean;
  /** Seconds between progress lines when not on a terminal. Default 5. */
  lineIntervalSeconds?: number;
  /** Per-item warnings shown before the rest are only counted. Default 10. */
  maxItemMessages?: number;
}

/**
 * Shows a run on the console: messages as lines, progress as a bar with rate and ETA on a
 * terminal or as a line every few seconds otherwise. Per-item warnings (null data, failed files)
 * are shown up to a limit and then counted, so a bad dataset cannot flood the terminal.
 */
export class ConsoleReporter implements Reporter {
  private readonly stream: NodeJS.WriteStream;
  private readonly quiet: boolean;
  private readonly tty: boolean;
  private readonly lineIntervalMs: number;
  private readonly maxItemMessages: number;
  private itemMessages = 0;
  private lastLine = 0;
  private barShown = false;

  constructor(options: ConsoleReporterOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.quiet = options.quiet ?? false;
    this.tty = options.tty ?? this.stream.isTTY === true;
    this.lineIntervalMs = (options.lineIntervalSeconds ?? 5) * 1000;
    this.maxItemMessages = options.maxItemMessages ?? 10;
  }

  attach(run: ExportRun): void {
    run.on('message', ({ context, content, target_id }) => {
      if (target_id !== undefined) this.itemMessage(`item ${String(target_id)}: ${content}`);
      else if (!this.quiet || context === 'warning' || context === 'danger') {
        this.line(context === 'info' || context === 'success' ? content : `${context}: ${content}`);
      }
    });
    const onFile = ({ target_id, status, error, data_file_info }: { target_id: unknown; status: string; error: string | null; data_file_info: string }): void => {
      if (status === 'failed') this.itemMessage(`item ${String(target_id)}: ${(JSON.parse(data_file_info) as { file_name: string }).file_name} failed: ${error ?? ''}`);
    };
    run.on('export_data_file', onFile);
    run.on('export_original_file', onFile);
    if (!this.quiet) run.on('progress', (event) => this.progress(event));
  }

  async close(): Promise<void> {
    this.clearBar();
    const hidden = this.itemMessages - this.maxItemMessages;
    if (hidden > 0) this.stream.write(`… and ${hidden} more item warnings (see error_file_list.json)\n`);
  }

  private itemMessage(text: string): void {
    this.itemMessages += 1;
    if (this.itemMessages <= this.maxItemMessages) this.line(`warning: ${text}`);
  }

  private progress(event: ProgressEvent): void {
    if (this.tty) {
      this.stream.write(`\r${renderBar(event, this.stream.columns ?? 80)}\x1b[K`);
      this.barShown = true;
      return;
    }
    const now = Date.now();
    if (event.current === 0 || now - this.lastLine < this.lineIntervalMs) return;
    this.lastLine = now;
    this.stream.write(`${renderLine(event)}\n`);
  }

  private line(text: string): void {
    this.clearBar();
    this.stream.write(`${text}\n`);
  }

  private clearBar(): void {
    if (!this.barShown) return;
    this.stream.write('\r\x1b[K');
    this.barShown = false;
  }
}

/** `exported 1,234 items (56.7%) · 890 items/s · ETA 12s` */
export function renderLine(event: ProgressEvent): string {
  const parts = [`exported ${event.current.toLocaleString('en-US')}${event.total === undefined ? '' : ` of ${event.total.toLocaleString('en-US')}`} items`];
  parts.push(`${Math.round(event.rate).toLocaleString('en-US')} items/s`);
  if (event.time_remaining !== undefined) parts.push(`ETA ${formatSeconds(event.time_remaining)}`);
  return parts.join(' · ');
}

function renderBar(event: ProgressEvent, columns: number): string {
  const text = renderLine(event);
  const width = Math.max(10, Math.min(40, columns - text.length - 4));
  if (event.percent === undefined) return text;
  const filled = Math.round((event.percent / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}`;
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
