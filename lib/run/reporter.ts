import type { ExportRun } from './export-run.js';

/** Something that shows or stores what a run reports: the console, a run-log file, the backend. */
export interface Reporter {
  /** Subscribes to the run's events; called before the export starts. */
  attach(run: ExportRun): void;
  /** Called once the export has ended, well or not; writes out anything held back. */
  close?(): Promise<void>;
}
