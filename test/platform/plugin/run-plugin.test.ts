import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadPlugin, runPlugin } from '../../../lib/platform/plugin/index.js';
import { ParamsValidationError } from '../../../lib/platform/params-validation-error.js';
import { listFiles, tempDirs } from '../../helpers/temp-dir.js';
import { ensureBuilt, pluginCopy } from '../fixtures/plugin-folder.js';
import { StandInBackend } from '../fixtures/stand-in-backend.js';

const makeDir = tempDirs('se-plugin-');
let backend: StandInBackend;
let location: string;
let plugin: string;

beforeAll(() => ensureBuilt(), 120_000);
beforeEach(async () => {
  location = await makeDir();
  plugin = await pluginCopy('quick-start-plugin', await makeDir());
  backend = await new StandInBackend({
    token: 'plugin-token',
    storages: { 1: { id: 1, provider: 'file_system', configuration: { location } } },
    projects: { 7: { id: 7, configuration: { classes: ['car', '자동차'] } } },
    groundTruthVersions: { 123: { count: 30, project: 7 } },
    nullData: (_kind, index) => index === 3,
  }).start();
});
afterEach(() => backend.stop());

const params = { name: 'qs', storage: 1, path: '/exports', target: 'ground_truth', filter: { ground_truth_dataset_version: 123 }, extra_params: { note: 'x' } };

describe('loadPlugin', () => {
  it('loads a TypeScript plugin without a build step, with its params schema', async () => {
    const loaded = await loadPlugin(plugin);
    expect(loaded.config.code).toBe('quick-start-export');
    expect(typeof loaded.Exporter).toBe('function');
    expect(loaded.paramsSchema).toBeDefined();
  });

  it('names the files it looked for when the entrypoint module is missing', async () => {
    await rm(join(plugin, 'plugin/export.ts'));
    await expect(loadPlugin(plugin)).rejects.toThrow('Entrypoint "plugin.export.Exporter": none of plugin/export.ts, plugin/export.mts, plugin/export.js, plugin/export.mjs exists');
  });

  it('says when the module lacks the named export', async () => {
    await writeFile(join(plugin, 'plugin/export.ts'), 'export const Other = 1;\n');
    await expect(loadPlugin(plugin)).rejects.toThrow(/has no export named Exporter/);
  });

  it('loads a JavaScript entrypoint as well', async () => {
    await rm(join(plugin, 'plugin/export.ts'));
    await writeFile(join(plugin, 'plugin/export.js'), "import { BaseExporter } from 'synapse-export';\nexport class Exporter extends BaseExporter { convertData(item) { return item; } }\n");
    await writeFile(join(plugin, 'package.json'), '{"type": "module"}\n');
    expect(typeof (await loadPlugin(plugin)).Exporter).toBe('function');
  });
});

describe('runPlugin', () => {
  it('runs the Quick Start plugin against the backend', async () => {
    const result = await runPlugin({ directory: plugin, params, client: { host: backend.url, token: 'plugin-token', backoffMs: 1 } });
    expect(result).toMatchObject({ export_path: join(location, 'exports'), unique_export_path: join(location, 'exports/qs'), counts: { total: 30, success: 29, skipped: 1, failed: 0 } });
    const dir = result.unique_export_path;
    expect(await readFile(join(dir, 'data/classes.txt'), 'utf8')).toBe('car\n자동차\n');
    const stats = JSON.parse(await readFile(join(dir, 'data/export_stats.json'), 'utf8'));
    // Defaults of the plugin's own params applied; extra_params, project_id and configuration arrive.
    expect(stats).toEqual({ total_items: 29, output_format: 'json', include_metadata: true, extra_params: { note: 'x' }, project_id: 7, configuration: { classes: ['car', '자동차'] } });
    expect(JSON.parse(await readFile(join(dir, 'json/gt_0.json'), 'utf8')).exported_by).toBe('quick-start');
    expect((await listFiles(dir)).filter((f) => f.startsWith('origin_files/'))).toHaveLength(29);
  });

  it('checks the plugin params: an invalid custom value is a field error', async () => {
    const error = await runPlugin({ directory: plugin, params: { ...params, output_format: 'pdf' }, client: { host: backend.url, token: 'plugin-token' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParamsValidationError);
    expect(Object.keys((error as ParamsValidationError).errors)).toEqual(['output_format']);
  });

  it('runs offline on local items with the same params', async () => {
    const items = join(await makeDir(), 'items.jsonl');
    await writeFile(items, `${JSON.stringify({ id: 1, data: { annotations: { image_1: [{ classification: { class: 'bus' } }] } }, files: { file_name_original: 'a.png', path: 'a.png' } })}\n`);
    await writeFile(join(items, '../a.png'), 'png');
    const out = await makeDir();
    const result = await runPlugin({ directory: plugin, params: { ...params, output_format: 'csv' }, items, out });
    expect(result).toMatchObject({ unique_export_path: join(out, 'exports/qs'), counts: { success: 1 } });
    expect(JSON.parse(await readFile(join(result.unique_export_path, 'data/export_stats.json'), 'utf8')).output_format).toBe('csv');
    expect(backend.requests).toHaveLength(0);
  });
});
