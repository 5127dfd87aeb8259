import type { ExportRun } from '../run/export-run.js';
import type { ExportRunEvents, MetricsEvent, ProgressEvent } from '../run/events.js';
import type { Reporter } from '../run/reporter.js';
import type { BackendClient, JsonObject } from './client/index.js';

/** Run events stored as job logs (`POST logs/`); progress and metrics go to the job itself. */
const LOG_EVENTS = ['message', 'export_event', 'export_data_file', 'export_original_file', 'dev_event'] as const satisfies ReadonlyArray<keyof ExportRunEvents>;

export interface BackendReporterOptions {
  /** Longest wait before gathered events are sent. Default 1000 ms. */
  flushMs?: number;
  /** Log records per `POST logs/`. Default 500. */
  maxBatch?: number;
  /** Failed sends tried again at `close()` before giving up. Default 3. */
  closeAttempts?: number;
  /** Where send failures are told (never thrown: the export goes on). Default: standard error. */
  onError?: (error: unknown) => void;
}

/**
 * Reports a run to the platform job: log events in batches to `logs/` (records
 * `{event, data, datetime, job}`), and the latest progress and metrics to the job
 * (`progress_record`, `metrics_record`), at most once per `flushMs`. One send runs at a time and
 * a batch leaves the queue only once the backend accepted it, so a failed send is retried with the
 * next flush: nothing is lost, nothing sent twice, order kept. The reference sends one request per
 * event (≥4 per item); here a 10,000-item export costs a handful.
 */
export class BackendReporter implements Reporter {
  private readonly queue: JsonObject[] = [];
  private progress: ProgressEvent | undefined;
  private readonly metrics: Record<string, MetricsEvent['record']> = {};
  private jobDirty = false;
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly closeAttempts: number;
  private readonly onError: (error: unknown) => void;
  /** Send failures so far (each retried later). */
  failures = 0;

  constructor(
    private readonly client: BackendClient,
    private readonly jobId: string,
    options: BackendReporterOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 1_000;
    this.maxBatch = options.maxBatch ?? 500;
    this.closeAttempts = options.closeAttempts ?? 3;
    this.onError = options.onError ?? ((error) => process.stderr.write(`synapse-export: could not report to the backend: ${String((error as Error)?.message ?? error)}\n`));
  }

  attach(run: ExportRun): void {
    for (const event of LOG_EVENTS) {
      run.on(event, (data: unknown) => {
        this.queue.push({ event, data, datetime: new Date().toISOString(), job: this.jobId });
        this.schedule();
      });
    }
    run.on('progress', (event) => {
      this.progress = event;
      this.jobDirty = true;
      this.schedule();
    });
    run.on('metrics', (event) => {
      this.metrics[event.category] = { ...event.record };
      this.jobDirty = true;
      this.schedule();
    });
  }

  /** Sends everything still held, retrying failed sends a few times. */
  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (let attempt = 0; attempt < this.closeAttempts && (this.queue.length > 0 || this.jobDirty); attempt += 1) {
      await this.flush();
    }
    await this.sending;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.flushMs);
    this.timer.unref();
  }

  /** Queues one send after the one running, so sends never overlap. */
  private flush(): Promise<void> {
    this.sending = this.sending.then(() => this.send());
    return this.sending;
  }

  private async send(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.slice(0, this.maxBatch);
        await this.client.createLogs(batch);
        this.queue.splice(0, batch.length);
      }
      if (this.jobDirty) {
        this.jobDirty = false;
        try {
          await this.client.updateJob(this.jobId, this.jobPayload());
        } catch (error) {
          this.jobDirty = true;
          throw error;
        }
      }
    } catch (error) {
      this.failures += 1;
      this.onError(error);
      this.schedule();
    }
  }

  /** The reference's `update_job` payload: progress record with the current progress, metrics record. */
  private jobPayload(): JsonObject {
    const payload: JsonObject = {};
    if (this.progress !== undefined) {
      const { category, percent, time_remaining } = this.progress;
      const state = { proportion: 100, percent: percent ?? 0, time_remaining: time_remaining ?? null };
      payload.progress_record = {
        record: { categories: { [category]: state }, current_category: category },
        current_progress: { overall: state.percent, category, percent: state.percent, time_remaining: state.time_remaining },
      };
    }
    if (Object.keys(this.metrics).length > 0) payload.metrics_record = { record: { categories: { ...this.metrics } } };
    return payload;
  }
}
