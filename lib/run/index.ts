export { ExportRun, type ExportRunOptions } from './export-run.js';
export { LogCode, LOG_MESSAGES, formatLogMessage, type LogCodeValue, type LogLevel } from './log-codes.js';
export type * from './events.js';
export type { Reporter } from './reporter.js';
export { ConsoleReporter, type ConsoleReporterOptions } from './console-reporter.js';
export { RunLogReporter, type RunLogReporterOptions } from './run-log-reporter.js';
