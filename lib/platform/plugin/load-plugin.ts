import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, ExportError, messageOf } from '../../errors.js';
import type { ExporterClass } from '../action.js';
import type { ExportParamsSchema } from '../params.js';
import type { TargetHandler } from '../targets/index.js';
import { readPluginConfig, type PluginActionConfig, type PluginConfig } from './plugin-config.js';

/** Module files tried for an entrypoint's module path, in order. */
const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

export interface LoadedPlugin {
  directory: string;
  config: PluginConfig;
  /** `actions.<action>` of config.yaml. */
  action: PluginActionConfig;
  /** The class the entrypoint names. */
  Exporter: ExporterClass;
  /** The module's `paramsSchema` export, when it has one (an extension of `ExportParams`). */
  paramsSchema?: ExportParamsSchema;
  /** The module's `targetHandlers` export: extra targets the plugin adds. */
  targetHandlers: TargetHandler[];
}

/**
 * Loads a plugin folder: config.yaml, then the entrypoint `plugin.export.Exporter` as the export
 * `Exporter` of `plugin/export.ts` (or `.mts`, `.js`, `.mjs`). TypeScript modules are loaded
 * through tsx's scoped loader, so a plugin runs without a build step.
 */
export async function loadPlugin(directory: string, actionName = 'export'): Promise<LoadedPlugin> {
  const root = resolve(directory);
  const config = await readPluginConfig(root);
  const action = config.actions[actionName];
  if (action === undefined) {
    throw new ExportError(`Plugin ${config.code} has no ${actionName} action (actions: ${Object.keys(config.actions).join(', ') || 'none'})`, { code: ErrorCode.PLUGIN_INVALID });
  }
  const entrypoint = action.entrypoint ?? '';
  const dot = entrypoint.lastIndexOf('.');
  if (dot <= 0 || dot === entrypoint.length - 1) {
    throw new ExportError(`Entrypoint "${entrypoint}" must be <module path>.<export name>, e.g. plugin.export.Exporter`, { code: ErrorCode.PLUGIN_INVALID });
  }
  const modulePath = entrypoint.slice(0, dot).split('.').join('/');
  const exportName = entrypoint.slice(dot + 1);
  const file = await findModule(join(root, modulePath));
  if (file === undefined) {
    throw new ExportError(`Entrypoint "${entrypoint}": none of ${EXTENSIONS.map((e) => `${modulePath}${e}`).join(', ')} exists in ${root}`, { code: ErrorCode.PLUGIN_INVALID });
  }
  const module = await importModule(file);
  const Exporter = module[exportName];
  if (typeof Exporter !== 'function') {
    throw new ExportError(`Entrypoint "${entrypoint}": ${file} has no export named ${exportName} that is a class`, { code: ErrorCode.PLUGIN_INVALID, fileName: file });
  }
  const loaded: LoadedPlugin = { directory: root, config, action, Exporter: Exporter as ExporterClass, targetHandlers: (module.targetHandlers as TargetHandler[] | undefined) ?? [] };
  if (module.paramsSchema !== undefined) loaded.paramsSchema = module.paramsSchema as ExportParamsSchema;
  return loaded;
}

async function findModule(base: string): Promise<string | undefined> {
  for (const extension of EXTENSIONS) {
    const candidate = `${base}${extension}`;
    if (await access(candidate).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  try {
    if (file.endsWith('.ts') || file.endsWith('.mts')) {
      const { tsImport } = await import('tsx/esm/api');
      return (await tsImport(pathToFileURL(file).href, pathToFileURL(file).href)) as Record<string, unknown>;
    }
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (cause) {
    throw new ExportError(`Cannot load the plugin module ${file}: ${messageOf(cause)}`, { code: ErrorCode.PLUGIN_INVALID, fileName: file, cause });
  }
}
