import type { z } from 'zod';
import { ExportTargetError, messageOf } from '../errors.js';
import { Exporter, type BaseExporter, type ExporterOptions } from '../exporter/base-exporter.js';
import type { RunOptions } from '../exporter/execute-export.js';
import { ExportRun } from '../run/export-run.js';
import { LogCode } from '../run/log-codes.js';
import type { Reporter } from '../run/reporter.js';
import type { Counts, ExportItem } from '../types.js';
import { ClientError, type BackendClient, type JsonObject } from './client/index.js';
import { ExportParams, validateExportParams, type ExportParamsSchema } from './params.js';
import { defaultStorages, type StorageRegistry } from './storages/index.js';
import { defaultTargets, type TargetHandler, type TargetRegistry } from './targets/index.js';

/** A plugin's exporter class: what `actions.export.entrypoint` names. */
export type ExporterClass = new (options: ExporterOptions) => BaseExporter<ExportItem>;

/** `actions.export` of the plugin's config.yaml, as far as the action reads it. */
export interface ExportActionConfig {
  /** Add `expand=data` to the listing filter. Default true. */
  data_expand?: boolean;
  [key: string]: unknown;
}

export interface ExportActionOptions<S extends ExportParamsSchema = typeof ExportParams> {
  /** Params as the platform sends them (the JSON of `plugin run export '<json>'`). */
  params: unknown;
  client: BackendClient;
  /** The plugin's exporter; default `Exporter` (items written as they are). */
  exporter?: ExporterClass;
  config?: ExportActionConfig;
  /** The plugin's params schema, an extension of `ExportParams`. */
  schema?: S;
  targets?: TargetRegistry;
  storages?: StorageRegistry;
  run?: ExportRun;
  /** Attached to the run before the first message; closed when the action ends. */
  reporters?: readonly Reporter[];
  /** The platform job this run belongs to; its result is stored there. */
  jobId?: string;
  /** Engine settings (concurrency, downloads, signal…). */
  exportOptions?: Partial<Omit<RunOptions, 'source' | 'output' | 'name' | 'reporters' | 'total'>>;
}

/** What the action resolves with. `export_path` keeps the reference's meaning (storage root + path). */
export interface ExportActionResult {
  export_path: string;
  /** The export's own directory (or S3 prefix), with its `(n)` suffix if it got one. */
  unique_export_path: string;
  counts: Counts;
}

/** The reference's message when listing the results fails. */
export const DATASET_ERROR_MESSAGE = 'Unable to get dataset.';

/**
 * The export action (behaviour notes §7): validates the params, lists the target's results from
 * the backend, resolves project configuration and storage, and runs the plugin's exporter on the
 * streaming engine.
 */
export class ExportAction<S extends ExportParamsSchema = typeof ExportParams> {
  readonly run: ExportRun;
  readonly client: BackendClient;
  readonly targets: TargetRegistry;
  readonly storages: StorageRegistry;
  private validated: { params: z.output<S>; storage: JsonObject } | undefined;

  constructor(private readonly options: ExportActionOptions<S>) {
    this.run = options.run ?? new ExportRun();
    this.client = options.client;
    this.targets = options.targets ?? defaultTargets();
    this.storages = options.storages ?? defaultStorages();
  }

  /** Validates the params; throws `ParamsValidationError` with `{field: [messages]}`. */
  async validateParams(): Promise<z.output<S>> {
    this.validated ??= await validateExportParams(this.options.params, {
      client: this.client,
      targets: this.targets,
      ...(this.options.schema ? { schema: this.options.schema } : {}),
    });
    return this.validated.params;
  }

  /**
   * What the platform calls: reporters attached, params validated, `start()`, and with a job id
   * the result stored on the job. Reporters are closed however it ends.
   */
  async runAction(): Promise<ExportActionResult> {
    const reporters = this.options.reporters ?? [];
    for (const reporter of reporters) reporter.attach(this.run);
    let result: ExportActionResult;
    try {
      await this.validateParams();
      result = await this.start();
    } finally {
      this.run.flush();
      await Promise.allSettled(reporters.map((reporter) => reporter.close?.()));
    }
    // Last, after the final progress and logs, as the reference's post_action_by_job.
    if (this.options.jobId !== undefined) await this.client.updateJob(this.options.jobId, { result: { ...result } });
    return result;
  }

  /** §7.1 step by step. */
  async start(): Promise<ExportActionResult> {
    const params = (await this.validateParams()) as ExportParams;
    const storageRecord = this.validated!.storage;
    const run = this.run;
    let prepared: Prepared;
    try {
      // 1–5: start message, filters with `expand`, handler, results and count.
      run.logMessageWithCode(LogCode.EXPORT_STARTED);
      const filters: JsonObject = { ...params.filter };
      if (this.options.config?.data_expand ?? true) filters.expand = 'data';
      const handler = this.targets.get(params.target);
      const { results, count } = await this.listResults(handler, filters, params.target);
      if (count === 0) run.logMessageWithCode(LogCode.NO_RESULTS_FOUND);
      else run.logMessageWithCode(LogCode.RESULTS_RETRIEVED, [count]);
      // 6: project configuration (and project_id for ground truth, from the first result).
      const project = await this.projectOf(params, results);
      // 7–8: export items and storage.
      const storage = await this.storages.open(storageRecord, params.path);
      prepared = { handler, count, results: project.results, project: project.extra, storage };
    } catch (error) {
      run.logMessageWithCode(LogCode.EXPORT_FAILED, [messageOf(error)]);
      throw error;
    }

    const { storage } = prepared;
    try {
      // 9: the plugin's exporter gets every param, nested extra_params included (v1), the count
      // and the project's configuration; not the raw results generator (§16.4).
      const Entrypoint = this.options.exporter ?? Exporter;
      const exporter = new Entrypoint({
        run,
        exportItems: mapItems(prepared.results, prepared.handler),
        pathRoot: storage.pathRoot,
        params: { ...params, count: prepared.count, ...prepared.project },
      });
      // 10: the engine reports its own failure (EXPORT_FAILED) before rejecting.
      const result = await exporter.export(undefined, { ...this.options.exportOptions, reporters: [] });
      let uniqueExportPath: string;
      try {
        uniqueExportPath = await storage.finish(result.uniqueExportPath);
      } catch (error) {
        run.logMessageWithCode(LogCode.EXPORT_FAILED, [messageOf(error)]);
        throw error;
      }
      run.logMessageWithCode(LogCode.EXPORT_COMPLETED);
      return { export_path: storage.exportPath, unique_export_path: uniqueExportPath, counts: result.counts };
    } finally {
      await storage.dispose();
    }
  }

  private async listResults(handler: TargetHandler, filters: JsonObject, target: string) {
    try {
      return await handler.getResults(this.client, filters);
    } catch (error) {
      if (error instanceof ClientError) throw new ExportTargetError(`${DATASET_ERROR_MESSAGE} (${error.message})`, target, { code: error.code, cause: error });
      throw error;
    }
  }

  private async projectOf(params: ExportParams, results: AsyncIterable<JsonObject>): Promise<{ results: AsyncIterable<JsonObject>; extra: JsonObject }> {
    if (params.target === 'ground_truth') {
      const iterator = results[Symbol.asyncIterator]();
      const head = await iterator.next();
      const rest = prepend(head, iterator);
      const project = head.done ? undefined : (head.value.project as number | string | undefined);
      if (project === undefined || project === null) return { results: rest, extra: { configuration: {} } };
      return { results: rest, extra: { project_id: project, configuration: await this.configurationOf(project) } };
    }
    const project = params.filter.project as number | string | undefined;
    if (project === undefined || project === null) return { results, extra: {} };
    return { results, extra: { configuration: await this.configurationOf(project) } };
  }

  private async configurationOf(project: number | string): Promise<unknown> {
    return (await this.client.getProject(project)).configuration ?? {};
  }
}

interface Prepared {
  handler: TargetHandler;
  count: number;
  results: AsyncIterable<JsonObject>;
  project: JsonObject;
  storage: Awaited<ReturnType<StorageRegistry['open']>>;
}

async function* prepend<T>(head: IteratorResult<T>, rest: AsyncIterator<T>): AsyncGenerator<T> {
  if (head.done) return;
  yield head.value;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

async function* mapItems(results: AsyncIterable<JsonObject>, handler: TargetHandler): AsyncGenerator<ExportItem> {
  for await (const result of results) yield handler.toExportItem(result);
}
