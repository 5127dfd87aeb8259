import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BaseExporter, type ExportContext } from '../../lib/exporter/index.js';
import type { ExportItem } from '../../lib/types.js';
import { ExportRun } from '../../lib/run/export-run.js';
import { ExportAction } from '../../lib/platform/action.js';
import { BackendClient } from '../../lib/platform/client/index.js';
import { ParamsValidationError } from '../../lib/platform/params-validation-error.js';
import { listFiles, tempDirs } from '../helpers/temp-dir.js';
import { StandInBackend } from './fixtures/stand-in-backend.js';

const makeDir = tempDirs('se-action-');
let backend: StandInBackend;
let location: string;

beforeEach(async () => {
  location = await makeDir();
  backend = await new StandInBackend({
    storages: { 1: { id: 1, name: 'local', category: 'internal', provider: 'file_system', configuration: { location }, is_default: true } },
    projects: { 7: { id: 7, configuration: { classes: ['car'] } }, 456: { id: 456, configuration: { tool: 'bbox' } } },
    groundTruthVersions: { 123: { count: 250, project: 7 }, 124: { count: 0, project: 7 }, 200: { count: 25_000, project: 7 } },
    assignments: { 456: 5 },
    tasks: { 456: 5 },
    defaultPageSize: 10,
  }).start();
});
afterEach(() => backend.stop());

function client(): BackendClient {
  return new BackendClient({ host: backend.url, backoffMs: 1 });
}

/** Records every message of a run, in order. */
function messagesOf(run: ExportRun): string[] {
  const messages: string[] = [];
  run.on('message', (m) => messages.push(m.content));
  return messages;
}

const example = { name: 'my_export', storage: 1, path: '/exports/gt', target: 'ground_truth', filter: { ground_truth_dataset_version: 123 }, save_original_file: true };

describe('ExportAction', () => {
  it('runs the worked example of §19 end to end', async () => {
    let seen: Record<string, unknown> = {};
    class Recording extends BaseExporter {
      convertData(item: ExportItem, ctx: ExportContext) {
        seen = ctx.params;
        return item;
      }
    }
    const run = new ExportRun();
    const messages = messagesOf(run);
    const result = await new ExportAction({ params: example, client: client(), exporter: Recording, run }).runAction();

    const root = join(location, 'exports/gt');
    expect(result).toEqual({ export_path: root, unique_export_path: join(root, 'my_export'), counts: { total: 250, success: 250, failed: 0, skipped: 0 } });
    // Validation: storage and the version were checked; the listing used the renamed key and expand=data.
    expect(backend.requestsTo('storages/1/')).toHaveLength(1);
    expect(backend.requestsTo('ground_truth_dataset_versions/123/')).toHaveLength(1);
    const listing = backend.requestsTo('sdk/ground_truth_events/');
    expect(listing.map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2', '3']);
    expect(listing[0]!.query.get('expand')).toBe('data');
    expect(listing[0]!.query.get('ground_truth_dataset_versions')).toBe('123');
    // The exporter got project_id and configuration from the first event's project.
    expect(seen).toMatchObject({ name: 'my_export', count: 250, project_id: 7, configuration: { classes: ['car'] }, filter: { ground_truth_dataset_version: 123 } });
    expect(seen).not.toHaveProperty('results');
    const files = await listFiles(join(root, 'my_export'));
    expect(files.filter((f) => f.startsWith('json/'))).toHaveLength(250);
    expect(files.filter((f) => f.startsWith('origin_files/'))).toHaveLength(250);
    expect(await readFile(join(root, 'my_export/origin_files/gt_0.png'), 'utf8')).toBe('media:gt_0.png..');
    expect(JSON.parse(await readFile(join(root, 'my_export/json/gt_1.json'), 'utf8')).annotations.image_1[0].classification.class).toBe('car');
    expect(messages).toEqual([
      'Export process started.',
      'Retrieved 250 results for export',
      'Starting export process.',
      'Converting dataset.',
      'Plugin run is complete.',
      'Export process completed.',
    ]);

    // A second run gets name(1).
    const again = await new ExportAction({ params: example, client: client() }).runAction();
    expect(again.unique_export_path).toBe(join(root, 'my_export(1)'));
  });

  it('passes the project configuration for assignments and tasks, and nested extra_params', async () => {
    for (const target of ['assignment', 'task']) {
      let seen: Record<string, unknown> = {};
      class Recording extends BaseExporter {
        convertData(item: ExportItem, ctx: ExportContext) {
          seen = ctx.params;
          return item;
        }
      }
      const params = { name: target, storage: 1, path: 'out', target, filter: { project: 456 }, save_original_file: false, extra_params: { output_format: 'coco' } };
      const result = await new ExportAction({ params, client: client(), exporter: Recording }).runAction();
      expect(result.counts.success).toBe(5);
      expect(seen).toMatchObject({ configuration: { tool: 'bbox' }, extra_params: { output_format: 'coco' }, count: 5 });
      expect(seen).not.toHaveProperty('project_id');
    }
  });

  it('does not add expand=data when the action config says data_expand: false', async () => {
    await new ExportAction({ params: { ...example, save_original_file: false }, client: client(), config: { data_expand: false } }).runAction();
    expect(backend.requestsTo('sdk/ground_truth_events/')[0]!.query.has('expand')).toBe(false);
  });

  it('handles zero results cleanly: a warning and an empty, complete export', async () => {
    const run = new ExportRun();
    const messages = messagesOf(run);
    const result = await new ExportAction({ params: { ...example, filter: { ground_truth_dataset_version: 124 } }, client: client(), run }).runAction();
    expect(result.counts).toEqual({ total: 0, success: 0, failed: 0, skipped: 0 });
    expect(messages).toContain('No results found for export.');
    expect(messages.at(-1)).toBe('Export process completed.');
    expect(await listFiles(result.unique_export_path)).toEqual(['export_manifest.json']);
  });

  it('rejects invalid params before anything is listed', async () => {
    const error = await new ExportAction({ params: { ...example, name: ' ' }, client: client() }).runAction().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParamsValidationError);
    expect(backend.requestsTo('sdk/ground_truth_events/')).toHaveLength(0);
  });

  it('reports a listing failure as EXPORT_FAILED with the reference message', async () => {
    backend.inject('401', 'sdk/ground_truth_events/', 1);
    const run = new ExportRun();
    const messages = messagesOf(run);
    const error = (await new ExportAction({ params: example, client: client(), run }).runAction().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^Unable to get dataset\. \(GET .* answered 401/);
    expect(messages.at(-1)).toMatch(/^Export process failed: Unable to get dataset\./);
  });

  it('exports 25,000 ground-truth events 100 per page, page 1 once, with a bounded read-ahead', async () => {
    let maxAhead = 0;
    const pageOf = (index: number) => Math.floor(index / 100) + 1;
    const server = backend;
    class Watching extends BaseExporter {
      convertData(item: ExportItem) {
        const served = server.requestsTo('sdk/ground_truth_events/').length;
        maxAhead = Math.max(maxAhead, served - pageOf(Number(item.id) - 100_000));
        return item;
      }
    }
    const params = { ...example, filter: { ground_truth_dataset_version: 200 }, save_original_file: false };
    const result = await new ExportAction({ params, client: client(), exporter: Watching }).runAction();
    expect(result.counts.success).toBe(25_000);
    const pages = backend.requestsTo('sdk/ground_truth_events/').map((r) => Number(r.query.get('page') ?? '1'));
    expect(pages).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    // Pages fetched ahead of the one being converted: the client's prefetch (2) plus the
    // engine's own buffering of a few dozen items, never the dataset.
    expect(maxAhead).toBeLessThanOrEqual(4);
  });
});
