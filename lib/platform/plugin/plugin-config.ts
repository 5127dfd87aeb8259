import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ErrorCode, ExportError, messageOf } from '../../errors.js';
import { ANNOTATION_TYPES, DATA_TYPES, PLUGIN_CATEGORIES } from './plugin-choices.js';

/** One action of config.yaml; `entrypoint` is required unless the action runs as a REST API. */
export const PluginActionConfig = z
  .looseObject({
    entrypoint: z.string().min(1).optional(),
    method: z.enum(['job', 'task', 'restapi']).optional(),
    annotation_types: z.array(z.enum(ANNOTATION_TYPES)).optional(),
    data_expand: z.boolean().optional(),
  })
  .refine((action) => action.method === 'restapi' || action.entrypoint !== undefined, { message: 'entrypoint is required', path: ['entrypoint'] });

/** A plugin's config.yaml (behaviour notes §10.1). Unknown keys are kept. */
export const PluginConfig = z.looseObject({
  name: z.string().trim().min(1),
  code: z.string().regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'code must be lower-case words joined by - (kebab-case)'),
  version: z.string().min(1),
  category: z.enum(PLUGIN_CATEGORIES),
  description: z.string().optional(),
  package_manager: z.enum(['pip', 'uv', 'npm']).optional(),
  data_types: z.array(z.enum(DATA_TYPES)).optional(),
  actions: z.record(z.string(), PluginActionConfig),
});

export type PluginConfig = z.infer<typeof PluginConfig>;
export type PluginActionConfig = z.infer<typeof PluginActionConfig>;

export const CONFIG_FILE = 'config.yaml';

/** Reads and validates `<dir>/config.yaml`; every problem is named with its key. */
export async function readPluginConfig(directory: string): Promise<PluginConfig> {
  const file = join(directory, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ExportError(`No plugin at ${directory}: cannot read ${CONFIG_FILE} (${messageOf(cause)})`, { code: ErrorCode.PLUGIN_INVALID, fileName: file, cause });
  }
  // yaml (~7 MB resident) is loaded here, on the first config read, not with the platform entry.
  const { parse } = await import('yaml');
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (cause) {
    throw new ExportError(`${file} is not valid YAML: ${messageOf(cause)}`, { code: ErrorCode.PLUGIN_INVALID, fileName: file, cause });
  }
  const parsed = PluginConfig.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`).join('; ');
    throw new ExportError(`${file} is invalid: ${problems}`, { code: ErrorCode.PLUGIN_INVALID, fileName: file });
  }
  return parsed.data;
}
