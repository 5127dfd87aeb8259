import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExportRun } from '../../lib/run/export-run.js';
import { ExportAction } from '../../lib/platform/action.js';
import { BackendReporter } from '../../lib/platform/backend-reporter.js';
import { BackendClient } from '../../lib/platform/client/index.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { StandInBackend } from './fixtures/stand-in-backend.js';

const makeDir = tempDirs('se-reporter-');
let backend: StandInBackend;

beforeEach(async () => {
  backend = await new StandInBackend({
    storages: { 1: { id: 1, provider: 'file_system', configuration: { location: await makeDir() } } },
    projects: { 7: { id: 7, configuration: {} } },
    groundTruthVersions: { 1: { count: 400, project: 7 } },
    nullData: (_kind, index) => index % 100 === 0,
  }).start();
});
afterEach(() => backend.stop());

const params = { name: 'reported', storage: 1, path: 'exports', target: 'ground_truth', filter: { ground_truth_dataset_version: 1 }, save_original_file: true };

async function runReported(reporterOptions: ConstructorParameters<typeof BackendReporter>[2] = {}) {
  const client = new BackendClient({ host: backend.url, backoffMs: 1, retries: 1 });
  const run = new ExportRun();
  const emitted: string[] = [];
  for (const event of ['message', 'export_event', 'export_data_file', 'export_original_file', 'dev_event'] as const) {
    run.on(event, (data: unknown) => emitted.push(`${event}:${JSON.stringify(data)}`));
  }
  const reporter = new BackendReporter(client, 'job-1', { flushMs: 20, onError: () => undefined, ...reporterOptions });
  const result = await new ExportAction({ params, client, run, reporters: [reporter], jobId: 'job-1' }).runAction();
  return { result, emitted, reporter };
}

describe('BackendReporter', () => {
  it('sends every log event once, in order, in a few batched calls', async () => {
    // No timer fires during the run: only the batch size and close() trigger sends.
    const { result, emitted } = await runReported({ flushMs: 600_000, maxBatch: 200 });
    expect(result.counts).toMatchObject({ total: 400, failed: 4 });
    const received = backend.logs.map((record) => `${String(record.event)}:${JSON.stringify(record.data)}`);
    expect(received).toEqual(emitted);
    // 400 items emit over 800 events; the reference would make one call per event.
    expect(emitted.length).toBeGreaterThan(800);
    expect(backend.requestsTo('logs/')).toHaveLength(Math.ceil(emitted.length / 200));
    expect(backend.logs.every((record) => record.job === 'job-1' && typeof record.datetime === 'string')).toBe(true);
    expect(backend.logs.find((record) => record.event === 'export_data_file' && (record.data as { status: string }).status === 'failed')).toBeDefined();
  });

  it('stores progress, metrics and the result on the job', async () => {
    await runReported({ flushMs: 600_000 });
    const updates = backend.jobUpdates.filter((u) => u.job === 'job-1');
    // One for progress and metrics at close, one for the result.
    expect(updates).toHaveLength(2);
    const last = [...updates].reverse();
    const progress = last.find((u) => u.data.progress_record)!.data.progress_record as { current_progress: { category: string; percent: number } };
    expect(progress.current_progress).toMatchObject({ category: 'dataset_conversion', percent: 100 });
    const metrics = last.find((u) => u.data.metrics_record)!.data.metrics_record as { record: { categories: Record<string, unknown> } };
    expect(metrics.record.categories.data_file).toEqual({ stand_by: 0, success: 396, failed: 4 });
    expect(metrics.record.categories.original_file).toEqual({ stand_by: 0, success: 400, failed: 0 });
    expect(updates.at(-1)!.data.result).toMatchObject({ counts: { total: 400 } });
  });

  it('keeps events through failed sends and delivers them once the backend is back', async () => {
    backend.inject('503', 'logs/', 6);
    const { emitted, reporter } = await runReported();
    expect(reporter.failures).toBeGreaterThan(0);
    const received = backend.logs.map((record) => `${String(record.event)}:${JSON.stringify(record.data)}`);
    expect(received).toEqual(emitted);
  });
});
