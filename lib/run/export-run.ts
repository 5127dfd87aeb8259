import { EventEmitter } from 'node:events';
import type { ExportStatus, ItemId } from '../types.js';
import type { ExportRunEvents, MessageEvent, MetricsCategory, MetricsRecord, ProgressCategory } from './events.js';
import { formatLogMessage, LOG_MESSAGES, type LogCodeValue, type LogLevel } from './log-codes.js';

export interface ExportRunOptions {
  /** Shortest gap between two progress or metrics events. Default 250 ms. */
  throttleMs?: number;
  /** Names dev events (`<action>_dev_log`). Default `export`. */
  actionName?: string;
}

interface ProgressState {
  current: number;
  total: number | undefined;
  startedAt: number;
}

/**
 * The one place an export reports what happens, with the reference's method names. Each call
 * becomes a typed event; reporters (console, run log, backend) subscribe. Progress and metrics
 * are throttled here, once for every reporter: an item costs a few assignments, and listeners
 * see at most a few updates a second plus a final one on `flush()`.
 */
export class ExportRun extends EventEmitter<ExportRunEvents> {
  private readonly throttleMs: number;
  private readonly actionName: string;
  private readonly progress = new Map<ProgressCategory, ProgressState>();
  private readonly dirtyProgress = new Set<ProgressCategory>();
  private readonly metrics = new Map<MetricsCategory, MetricsRecord>();
  private readonly dirtyMetrics = new Set<MetricsCategory>();
  private lastEmit = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: ExportRunOptions = {}) {
    super();
    this.throttleMs = options.throttleMs ?? 250;
    this.actionName = options.actionName ?? 'export';
  }

  logMessage(content: string, context: LogLevel = 'info'): void {
    this.emit('message', { context, content });
  }

  /** A message about one item; reporters rate-limit these so a bad dataset cannot flood them. */
  logItemMessage(targetId: ItemId | undefined, content: string, context: LogLevel = 'warning'): void {
    this.emit('message', { context, content, target_id: targetId });
  }

  /** The formatted text and level of a code, or the reference's text for an unknown one. */
  private describeCode(code: LogCodeValue, args: readonly unknown[], level: LogLevel | undefined): MessageEvent {
    const entry = LOG_MESSAGES[code];
    if (entry === undefined) return { context: 'info', content: `Unknown log code: ${String(code)}` };
    return { context: level ?? entry.level ?? 'info', content: formatLogMessage(entry.message, args) };
  }

  /** Logs a coded message; `args` fill the template's `{}` places. Unknown codes are reported, not thrown. */
  logMessageWithCode(code: LogCodeValue, args: readonly unknown[] = [], level?: LogLevel): void {
    this.emit('message', this.describeCode(code, args, level));
  }

  /** A coded message about one item, plus an `export_event` with the item's id. */
  logExportEvent(code: LogCodeValue, targetId: ItemId | undefined, args: readonly unknown[] = [], level?: LogLevel): void {
    const message = this.describeCode(code, args, level);
    this.emit('message', { ...message, target_id: targetId });
    if (this.listenerCount('export_event') === 0) return;
    this.emit('export_event', {
      target_id: targetId,
      info: message.content,
      // The reference marks events of unknown codes as danger.
      status: LOG_MESSAGES[code] === undefined ? 'danger' : message.context,
      created: new Date().toISOString(),
    });
  }

  exportLogJsonFile(targetId: ItemId | undefined, fileInfo: { file_name: string }, status: ExportStatus = 'stand_by', error?: string): void {
    this.logFile('export_data_file', targetId, fileInfo, status, error);
  }

  exportLogOriginalFile(targetId: ItemId | undefined, fileInfo: { file_name: string }, status: ExportStatus = 'stand_by', error?: string): void {
    this.logFile('export_original_file', targetId, fileInfo, status, error);
  }

  /** `total` may be unknown for a streamed source; the first call of a category starts its clock. */
  setProgress(current: number, total: number | undefined, category: ProgressCategory = 'dataset_conversion'): void {
    const state = this.progress.get(category);
    if (state === undefined) {
      this.progress.set(category, { current, total, startedAt: Date.now() });
    } else {
      state.current = current;
      state.total = total;
    }
    this.dirtyProgress.add(category);
    this.schedule();
  }

  logMetrics(record: MetricsRecord, category: MetricsCategory): void {
    this.metrics.set(category, { stand_by: record.stand_by, failed: record.failed, success: record.success });
    this.dirtyMetrics.add(category);
    this.schedule();
  }

  logDevEvent(message: string, data?: unknown, level: LogLevel = 'info'): void {
    this.emit('dev_event', {
      event_type: `${this.actionName}_dev_log`,
      message,
      data: data ?? null,
      level,
      created: new Date().toISOString(),
    });
  }

  endLog(): void {
    this.logMessage('Plugin run is complete.');
  }

  /** Latest metrics of a category, as last logged. */
  getMetrics(category: MetricsCategory): MetricsRecord | undefined {
    return this.metrics.get(category);
  }

  /** Emits any progress or metrics held back by the throttle, now. */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.lastEmit = Date.now();
    for (const category of this.dirtyProgress) {
      const state = this.progress.get(category)!;
      const elapsed = Date.now() - state.startedAt;
      const rate = elapsed > 0 ? (state.current * 1000) / elapsed : 0;
      const total = state.total;
      this.emit('progress', {
        category,
        current: state.current,
        total,
        percent: total ? Math.round((Math.min(state.current, total) / total) * 10000) / 100 : undefined,
        time_remaining: total && rate > 0 ? Math.round(((total - state.current) / rate) * 100) / 100 : undefined,
        rate,
        elapsed_ms: elapsed,
      });
    }
    this.dirtyProgress.clear();
    for (const category of this.dirtyMetrics) {
      this.emit('metrics', { category, record: { ...this.metrics.get(category)! } });
    }
    this.dirtyMetrics.clear();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const wait = this.lastEmit + this.throttleMs - Date.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
    this.timer.unref();
  }

  private logFile(
    event: 'export_data_file' | 'export_original_file',
    targetId: ItemId | undefined,
    fileInfo: { file_name: string },
    status: ExportStatus,
    error: string | undefined,
  ): void {
    // Built only when someone listens: on a million items the timestamps alone add up.
    if (this.listenerCount(event) === 0) return;
    this.emit(event, {
      target_id: targetId,
      data_file_info: JSON.stringify(fileInfo),
      status,
      error: error ?? null,
      created: new Date().toISOString(),
    });
  }
}
