import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackendClient, type JsonObject } from '../../../lib/platform/client/index.js';
import { assignmentHandler, defaultTargets, groundTruthHandler, taskHandler, type TargetHandler } from '../../../lib/platform/targets/index.js';
import { StandInBackend } from '../fixtures/stand-in-backend.js';

let backend: StandInBackend;
let client: BackendClient;

beforeAll(async () => {
  backend = await new StandInBackend({ groundTruthVersions: { 9: { count: 3, project: 7 } }, assignments: { 4: 3 }, tasks: { 4: 3 } }).start();
  client = new BackendClient({ host: backend.url, backoffMs: 1 });
});
afterAll(() => backend.stop());

async function first(listing: { results: AsyncIterable<JsonObject> }): Promise<JsonObject> {
  for await (const result of listing.results) return result;
  throw new Error('empty');
}

describe('target handlers', () => {
  it('assignment: lists sdk/assignments/ and maps {data, file, id} to {data, files, id}', async () => {
    const result = await first(await assignmentHandler.getResults(client, { project: 4, expand: 'data' }));
    const item = assignmentHandler.toExportItem(result);
    const { path, ...file } = result.file as Record<string, unknown>;
    expect(item).toEqual({ data: result.data, files: { ...file, storage_path: path }, id: 200_000 });
    expect(backend.requestsTo('sdk/assignments/').at(-1)!.query.get('expand')).toBe('data');
  });

  it('ground_truth: renames the filter key and takes the first file of the data unit', async () => {
    const filters = { ground_truth_dataset_version: 9, expand: 'data' };
    const result = await first(await groundTruthHandler.getResults(client, filters));
    const query = backend.requestsTo('sdk/ground_truth_events/').at(-1)!.query;
    expect(query.get('ground_truth_dataset_versions')).toBe('9');
    expect(query.has('ground_truth_dataset_version')).toBe(false);
    expect(filters).toEqual({ ground_truth_dataset_version: 9, expand: 'data' });
    const item = groundTruthHandler.toExportItem(result);
    expect(item.id).toBe(100_000);
    expect(item.files.file_name_original).toBe('gt_0.png');
  });

  it('task: replaces expand with data_unit, assignment, workshop', async () => {
    const result = await first(await taskHandler.getResults(client, { project: 4, expand: 'data' }));
    expect(backend.requestsTo('sdk/tasks/').at(-1)!.query.getAll('expand')).toEqual(['data_unit', 'assignment', 'workshop']);
    expect(taskHandler.toExportItem(result)).toMatchObject({ id: 300_000, files: { file_name_original: 'task_0.png' } });
  });

  it('maps a data unit without files to an empty descriptor', () => {
    expect(taskHandler.toExportItem({ id: 1, data: {}, data_unit: { files: {} } }).files).toEqual({});
  });

  it('registry: plugins add targets; an unknown one lists the supported targets', () => {
    const registry = defaultTargets();
    expect(() => registry.get('dataset')).toThrow("Unknown target: 'dataset'. Supported targets: assignment, ground_truth, task");
    const custom: TargetHandler = { ...taskHandler, target: 'review' };
    registry.register(custom);
    expect(registry.get('review')).toBe(custom);
    expect(defaultTargets().has('review')).toBe(false);
  });
});
