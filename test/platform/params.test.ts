import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BackendClient } from '../../lib/platform/client/index.js';
import { ExportParams, validateExportParams } from '../../lib/platform/params.js';
import { ParamsValidationError } from '../../lib/platform/params-validation-error.js';
import { defaultTargets } from '../../lib/platform/targets/index.js';
import { StandInBackend } from './fixtures/stand-in-backend.js';

let backend: StandInBackend;
let client: BackendClient;
const targets = defaultTargets();

beforeAll(async () => {
  backend = await new StandInBackend({
    storages: { 1: { id: 1, provider: 'file_system', configuration: { location: '/data' } } },
    groundTruthVersions: { 123: { count: 3, project: 7 } },
    assignments: { 456: 2 },
    tasks: { 456: 2 },
  }).start();
  client = new BackendClient({ host: backend.url, backoffMs: 1, retries: 0 });
});
afterAll(() => backend.stop());

const valid = { name: 'my_export', storage: 1, path: '/exports/gt', target: 'ground_truth', filter: { ground_truth_dataset_version: 123 } };

async function errorsOf(raw: unknown, schema?: typeof ExportParams): Promise<ParamsValidationError> {
  const error = await validateExportParams(raw, { client, targets, ...(schema ? { schema } : {}) }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ParamsValidationError);
  return error as ParamsValidationError;
}

describe('validateExportParams', () => {
  it('accepts valid params, applies defaults and returns the storage', async () => {
    const { params, storage } = await validateExportParams(valid, { client, targets });
    expect(params).toEqual({ ...valid, save_original_file: true });
    expect(storage).toMatchObject({ provider: 'file_system' });
  });

  it('reports a blank name with the code blank and the reference message', async () => {
    const error = await errorsOf({ ...valid, name: '   ' });
    expect(error.errors).toEqual({ name: ['필수 값을 확인해주세요.'] });
    expect(error.issues[0]).toMatchObject({ field: 'name', code: 'blank' });
    expect(error.toJSON()).toEqual({ params: { name: ['필수 값을 확인해주세요.'] } });
  });

  it('reports a missing name as required', async () => {
    const { name: _name, ...rest } = valid;
    const error = await errorsOf(rest);
    expect(error.errors).toEqual({ name: ['This field is required.'] });
  });

  it('reports an unknown target listing the supported ones', async () => {
    const error = await errorsOf({ ...valid, target: 'dataset' });
    expect(error.errors).toEqual({ target: ["Unknown target: 'dataset'. Supported targets: assignment, ground_truth, task"] });
  });

  it.each([
    ['assignment', 'Project is required for Assignment.'],
    ['task', 'Project is required for Task.'],
    ['ground_truth', 'Ground Truth dataset version is required.'],
  ])('requires the %s filter key (missing_field)', async (target, message) => {
    const error = await errorsOf({ ...valid, target, filter: {} });
    expect(error.errors).toEqual({ filter: [message] });
    expect(error.issues[0]!.code).toBe('missing_field');
  });

  it.each([
    ['ground_truth', { ground_truth_dataset_version: 999 }, 'Unable to get Ground Truth dataset version.', 'ground_truth_dataset_versions/999/'],
    ['assignment', { project: 456 }, 'Unable to get Assignment.', 'sdk/assignments/'],
    ['task', { project: 456 }, 'Unable to get Task.', 'sdk/tasks/'],
  ])('reports a backend failure while checking the %s filter as client_error', async (target, filter, message, path) => {
    if (target !== 'ground_truth') backend.inject('401', path, 1);
    const error = await errorsOf({ ...valid, target, filter });
    expect(error.errors).toEqual({ filter: [message] });
    expect(error.issues[0]!.code).toBe('client_error');
  });

  it('reports a storage the backend cannot give', async () => {
    const error = await errorsOf({ ...valid, storage: 2 });
    expect(error.errors).toEqual({ storage: ['Unable to get storage from Synapse backend.'] });
    expect(error.issues[0]!.code).toBe('client_error');
  });

  it('collects every field error at once, in field order', async () => {
    const error = await errorsOf({ name: '', storage: 2, target: 'task', filter: {} });
    expect(Object.keys(error.errors)).toEqual(['name', 'storage', 'path', 'filter']);
    expect(error.message).toMatch(/^Invalid export params: name: /);
  });

  it('accepts a plugin schema that extends ExportParams, with its defaults', async () => {
    const Custom = ExportParams.extend({ output_format: z.enum(['json', 'csv', 'xml']).default('json'), include_metadata: z.boolean().default(true) });
    const { params } = await validateExportParams({ ...valid, extra_params: { k: 1 } }, { client, targets, schema: Custom });
    expect(params).toMatchObject({ output_format: 'json', include_metadata: true, extra_params: { k: 1 } });
    const error = await errorsOf({ ...valid, output_format: 'pdf' }, Custom as unknown as typeof ExportParams);
    expect(Object.keys(error.errors)).toEqual(['output_format']);
  });
});

describe('ExportParams', () => {
  it('accepts a numeric string storage id, as pydantic does, and rejects other strings', () => {
    expect(ExportParams.parse({ ...valid, storage: '1' }).storage).toBe(1);
    expect(ExportParams.safeParse({ ...valid, storage: 'one' }).success).toBe(false);
  });
});
