/** Message levels, as the platform's `Context` enum serialises them. */
export type LogLevel = 'info' | 'success' | 'warning' | 'danger';

/** The reference's log codes; each value equals its name. */
export const LogCode = {
  STORAGE_VALIDATION_FAILED: 'STORAGE_VALIDATION_FAILED',
  FILTER_VALIDATION_FAILED: 'FILTER_VALIDATION_FAILED',
  TARGET_VALIDATION_FAILED: 'TARGET_VALIDATION_FAILED',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  EXPORT_STARTED: 'EXPORT_STARTED',
  EXPORT_COMPLETED: 'EXPORT_COMPLETED',
  EXPORT_FAILED: 'EXPORT_FAILED',
  NO_RESULTS_FOUND: 'NO_RESULTS_FOUND',
  RESULTS_RETRIEVED: 'RESULTS_RETRIEVED',
  ORIGINAL_FILE_EXPORTED: 'ORIGINAL_FILE_EXPORTED',
  DATA_FILE_EXPORTED: 'DATA_FILE_EXPORTED',
  FILE_EXPORT_FAILED: 'FILE_EXPORT_FAILED',
  TARGET_HANDLER_ERROR: 'TARGET_HANDLER_ERROR',
  NULL_DATA_DETECTED: 'NULL_DATA_DETECTED',
} as const;

export type LogCodeValue = (typeof LogCode)[keyof typeof LogCode];

/** Message templates and default levels, word for word as the reference has them. */
export const LOG_MESSAGES: Record<LogCodeValue, { message: string; level?: LogLevel }> = {
  STORAGE_VALIDATION_FAILED: { message: 'Storage validation failed.', level: 'danger' },
  FILTER_VALIDATION_FAILED: { message: 'Filter validation failed.', level: 'danger' },
  TARGET_VALIDATION_FAILED: { message: 'Target validation failed.', level: 'danger' },
  VALIDATION_FAILED: { message: 'Validation failed.', level: 'danger' },
  EXPORT_STARTED: { message: 'Export process started.' },
  EXPORT_COMPLETED: { message: 'Export process completed.' },
  EXPORT_FAILED: { message: 'Export process failed: {}', level: 'danger' },
  NO_RESULTS_FOUND: { message: 'No results found for export.', level: 'warning' },
  RESULTS_RETRIEVED: { message: 'Retrieved {} results for export' },
  ORIGINAL_FILE_EXPORTED: { message: 'Original file exported successfully.' },
  DATA_FILE_EXPORTED: { message: 'Data file exported successfully.' },
  FILE_EXPORT_FAILED: { message: 'Failed to export file: {}', level: 'danger' },
  TARGET_HANDLER_ERROR: { message: 'Target handler error: {}', level: 'danger' },
  NULL_DATA_DETECTED: { message: 'Data is null for export item', level: 'warning' },
};

/** Fills `{}` placeholders in order, as Python's `str.format(*args)` does; no args, no formatting. */
export function formatLogMessage(template: string, args: readonly unknown[]): string {
  if (args.length === 0) return template;
  let i = 0;
  return template.replace(/\{\}/g, () => String(args[i++] ?? ''));
}
