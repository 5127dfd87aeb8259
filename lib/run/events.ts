import type { ExportStatus, ItemId } from '../types.js';
import type { LogLevel } from './log-codes.js';

/** Progress categories and metrics categories of the export action. */
export type ProgressCategory = 'dataset_conversion' | (string & {});
export type MetricsCategory = 'data_file' | 'original_file' | (string & {});

export interface MessageEvent {
  context: LogLevel;
  content: string;
  /** Set when the message is about one item (`logExportEvent`), so reporters can rate-limit those. */
  target_id?: ItemId | undefined;
}

export interface ExportEventLog {
  target_id: ItemId | undefined;
  info: string;
  status: LogLevel;
  created: string;
}

export interface DataFileLog {
  target_id: ItemId | undefined;
  /** JSON text `{"file_name": "…"}`, as the platform stores it. */
  data_file_info: string;
  status: ExportStatus;
  error: string | null;
  created: string;
}

export interface ProgressEvent {
  category: ProgressCategory;
  current: number;
  /** Unknown while a streamed source has not said how many items it holds. */
  total: number | undefined;
  percent: number | undefined;
  /** Seconds left at the current rate; unknown without a total. */
  time_remaining: number | undefined;
  /** Items per second since the category started. */
  rate: number;
  elapsed_ms: number;
}

export interface MetricsRecord {
  stand_by: number;
  failed: number;
  success: number;
}

export interface MetricsEvent {
  category: MetricsCategory;
  record: MetricsRecord;
}

export interface DevEvent {
  event_type: string;
  message: string;
  data: unknown;
  level: LogLevel;
  created: string;
}

/** Everything an `ExportRun` emits, by event name. Reporters subscribe to these. */
export interface ExportRunEvents {
  message: [MessageEvent];
  export_event: [ExportEventLog];
  export_data_file: [DataFileLog];
  export_original_file: [DataFileLog];
  progress: [ProgressEvent];
  metrics: [MetricsEvent];
  dev_event: [DevEvent];
}
