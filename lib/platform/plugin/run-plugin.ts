import { join } from 'node:path';
import { LogCode } from '../../run/log-codes.js';
import { ExportRun } from '../../run/export-run.js';
import type { Reporter } from '../../run/reporter.js';
import { openInput } from '../../sources/file-source.js';
import { ExportAction, type ExportActionOptions, type ExportActionResult } from '../action.js';
import { BackendReporter } from '../backend-reporter.js';
import { BackendClient, type BackendClientOptions } from '../client/index.js';
import { checkParamsShape } from '../params.js';
import { relativeStoragePath } from '../storages/index.js';
import { defaultTargets } from '../targets/index.js';
import { loadPlugin } from './load-plugin.js';

export interface RunPluginOptions {
  /** The plugin folder (holding config.yaml). */
  directory: string;
  /** The action's params, as the platform sends them. */
  params: unknown;
  /**
   * Local items (a JSONL/JSON file or dataset folder) instead of the backend: params are checked
   * against the schema only, and the export goes to `<out>/<path>/<name>`.
   */
  items?: string;
  /** With `items`: the folder standing in for the storage root. Default: the working directory. */
  out?: string;
  /** Backend connection; the environment fills what is not given. */
  client?: BackendClientOptions;
  /** The platform job: logs, progress, metrics and the result are reported to it. */
  jobId?: string;
  run?: ExportRun;
  reporters?: readonly Reporter[];
  exportOptions?: ExportActionOptions['exportOptions'];
}

/** `plugin run export`: loads the plugin and runs its exporter against the backend or local items. */
export async function runPlugin(options: RunPluginOptions): Promise<ExportActionResult> {
  const plugin = await loadPlugin(options.directory, 'export');
  const run = options.run ?? new ExportRun();
  if (options.items !== undefined) return runOnItems(options, plugin, run, options.items);

  const client = new BackendClient(options.client);
  const targets = defaultTargets();
  for (const handler of plugin.targetHandlers) targets.register(handler);
  const reporters = [...(options.reporters ?? [])];
  if (options.jobId !== undefined) reporters.push(new BackendReporter(client, options.jobId));
  return new ExportAction({
    params: options.params,
    client,
    exporter: plugin.Exporter,
    config: plugin.action,
    targets,
    run,
    reporters,
    ...(plugin.paramsSchema ? { schema: plugin.paramsSchema } : {}),
    ...(options.jobId !== undefined ? { jobId: options.jobId } : {}),
    ...(options.exportOptions ? { exportOptions: options.exportOptions } : {}),
  }).runAction();
}

async function runOnItems(options: RunPluginOptions, plugin: Awaited<ReturnType<typeof loadPlugin>>, run: ExportRun, items: string): Promise<ExportActionResult> {
  const reporters = options.reporters ?? [];
  for (const reporter of reporters) reporter.attach(run);
  try {
    const params = await checkParamsShape(options.params, plugin.paramsSchema);
    run.logMessageWithCode(LogCode.EXPORT_STARTED);
    const source = await openInput(items);
    const pathRoot = join(options.out ?? '.', relativeStoragePath(params.path));
    const exporter = new plugin.Exporter({ run, exportItems: source, pathRoot, params: { ...params } });
    const result = await exporter.export(undefined, { ...options.exportOptions, reporters: [] });
    run.logMessageWithCode(LogCode.EXPORT_COMPLETED);
    return { export_path: result.exportPath, unique_export_path: result.uniqueExportPath, counts: result.counts };
  } finally {
    run.flush();
    await Promise.allSettled(reporters.map((reporter) => reporter.close?.()));
  }
}
