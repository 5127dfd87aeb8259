import type { MetricsCategory } from '../run/events.js';
import type { ExportRun } from '../run/export-run.js';
import type { ExportStatus } from '../types.js';
import { currentRecordScope } from './record-scope.js';

interface Tally {
  entered: number;
  success: number;
  failed: number;
}

/**
 * Keeps the `{stand_by, success, failed}` metrics of each file category (`data_file`,
 * `original_file`) and hands them to the run, which throttles what reporters see.
 * `stand_by` is what is left: the source's total when known, else the items seen so far.
 */
export class FileMetrics {
  private readonly tallies = new Map<MetricsCategory, Tally>();
  private finished = false;

  constructor(
    private readonly run: ExportRun,
    private readonly total: () => number | undefined,
  ) {}

  /** Counts `save` under `category` and reports the outcome once it settles. */
  async track(category: MetricsCategory, save: Promise<ExportStatus>): Promise<ExportStatus> {
    const tally = this.tally(category);
    tally.entered += 1;
    const status = await save;
    this.count(tally, status);
    const scope = currentRecordScope();
    if (scope !== undefined) scope.metrics[category] = status;
    this.report(category, tally);
    return status;
  }

  /** Counts an outcome settled in an earlier run (a resumed export's journal). */
  replay(category: MetricsCategory, status: ExportStatus): void {
    const tally = this.tally(category);
    tally.entered += 1;
    this.count(tally, status);
  }

  private count(tally: Tally, status: ExportStatus): void {
    if (status === 'failed') tally.failed += 1;
    else if (status === 'success') tally.success += 1;
  }

  /** Reports every category once more, with nothing left on stand-by: all that entered has settled. */
  finish(): void {
    this.finished = true;
    for (const [category, tally] of this.tallies) this.report(category, tally);
  }

  snapshot(): Record<MetricsCategory, { stand_by: number; success: number; failed: number }> {
    const result: Record<string, { stand_by: number; success: number; failed: number }> = {};
    for (const [category, tally] of this.tallies) result[category] = this.record(tally);
    return result;
  }

  private tally(category: MetricsCategory): Tally {
    let tally = this.tallies.get(category);
    if (tally === undefined) {
      tally = { entered: 0, success: 0, failed: 0 };
      this.tallies.set(category, tally);
    }
    return tally;
  }

  private record(tally: Tally): { stand_by: number; success: number; failed: number } {
    const expected = this.finished ? tally.entered : Math.max(this.total() ?? tally.entered, tally.entered);
    return { stand_by: expected - tally.success - tally.failed, success: tally.success, failed: tally.failed };
  }

  private report(category: MetricsCategory, tally: Tally): void {
    this.run.logMetrics(this.record(tally), category);
  }
}
