import { describe, expect, it } from 'vitest';
import { ExportRun } from '../../lib/run/export-run.js';
import { LogCode } from '../../lib/run/log-codes.js';
import type { ExportEventLog, MessageEvent, MetricsEvent, ProgressEvent } from '../../lib/run/events.js';

describe('ExportRun', () => {
  it('formats coded messages with the reference texts and levels', () => {
    const run = new ExportRun();
    const messages: MessageEvent[] = [];
    run.on('message', (m) => messages.push(m));
    run.logMessageWithCode(LogCode.RESULTS_RETRIEVED, [250]);
    run.logMessageWithCode(LogCode.EXPORT_FAILED, ['disk full']);
    run.logMessageWithCode(LogCode.NO_RESULTS_FOUND);
    run.logMessageWithCode(LogCode.EXPORT_COMPLETED, [], 'success');
    run.logMessageWithCode('NOT_A_CODE' as never);
    expect(messages).toEqual([
      { context: 'info', content: 'Retrieved 250 results for export' },
      { context: 'danger', content: 'Export process failed: disk full' },
      { context: 'warning', content: 'No results found for export.' },
      { context: 'success', content: 'Export process completed.' },
      { context: 'info', content: 'Unknown log code: NOT_A_CODE' },
    ]);
  });

  it('emits an export_event with the item id, and danger for unknown codes', () => {
    const run = new ExportRun();
    const events: ExportEventLog[] = [];
    run.on('export_event', (e) => events.push(e));
    run.logExportEvent(LogCode.NULL_DATA_DETECTED, 42);
    run.logExportEvent('BOGUS' as never, 43);
    expect(events.map(({ target_id, info, status }) => ({ target_id, info, status }))).toEqual([
      { target_id: 42, info: 'Data is null for export item', status: 'warning' },
      { target_id: 43, info: 'Unknown log code: BOGUS', status: 'danger' },
    ]);
    expect(Number.isNaN(Date.parse(events[0]!.created))).toBe(false);
  });

  it('throttles progress and metrics: 100,000 calls become a handful of events, the last value kept', async () => {
    const run = new ExportRun({ throttleMs: 50 });
    const progress: ProgressEvent[] = [];
    const metrics: MetricsEvent[] = [];
    run.on('progress', (e) => progress.push(e));
    run.on('metrics', (e) => metrics.push(e));
    for (let i = 1; i <= 100_000; i++) {
      run.setProgress(i, 100_000);
      run.logMetrics({ stand_by: 100_000 - i, success: i, failed: 0 }, 'data_file');
    }
    await new Promise((r) => setTimeout(r, 80));
    run.flush();
    expect(progress.length).toBeGreaterThanOrEqual(1);
    expect(progress.length).toBeLessThan(10);
    expect(progress.at(-1)).toMatchObject({ category: 'dataset_conversion', current: 100_000, total: 100_000, percent: 100 });
    expect(metrics.at(-1)).toEqual({ category: 'data_file', record: { stand_by: 0, success: 100_000, failed: 0 } });
    expect(metrics.length).toBeLessThan(10);
  });

  it('reports progress without a total for streamed sources', () => {
    const run = new ExportRun({ throttleMs: 0 });
    const progress: ProgressEvent[] = [];
    run.on('progress', (e) => progress.push(e));
    run.setProgress(5, undefined);
    run.flush();
    expect(progress.at(-1)).toMatchObject({ current: 5, total: undefined, percent: undefined, time_remaining: undefined });
  });

  it('logs dev events and the end of the run as the reference does', () => {
    const run = new ExportRun({ actionName: 'export' });
    const seen: unknown[] = [];
    run.on('dev_event', (e) => seen.push(e));
    run.on('message', (m) => seen.push(m));
    run.logDevEvent('checkpoint', { page: 3 }, 'warning');
    run.endLog();
    expect(seen[0]).toMatchObject({ event_type: 'export_dev_log', message: 'checkpoint', data: { page: 3 }, level: 'warning' });
    expect(seen[1]).toEqual({ context: 'info', content: 'Plugin run is complete.' });
  });
});
