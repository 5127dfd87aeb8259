import { z } from 'zod';
import { ClientError, type BackendClient, type JsonObject } from './client/index.js';
import { ParamIssue } from './param-issue.js';
import { ParamsValidationError, type ParamsIssue } from './params-validation-error.js';
import { unknownTargetMessage, type TargetRegistry } from './targets/index.js';

/** The reference's message for a blank required value ("please check the required value"). */
export const BLANK_MESSAGE = '필수 값을 확인해주세요.';
export const STORAGE_ERROR_MESSAGE = 'Unable to get storage from Synapse backend.';

const nonBlank = z.string().superRefine((value, ctx) => {
  if (value.trim() === '') ctx.addIssue({ code: 'custom', message: BLANK_MESSAGE, params: { code: 'blank' } });
});

/**
 * The export action's params (behaviour notes §4). Shape checks only; the checks that need the
 * backend (storage exists, filter fits the target) run in `validateExportParams`. Defaults are
 * applied (the reference drops them, §16.2). Extend it for a plugin's own params:
 * `ExportParams.extend({ output_format: z.enum(['json', 'csv']).default('json') })`.
 */
export const ExportParams = z.object({
  name: nonBlank,
  // null is accepted as the reference's None, and dropped.
  description: z.string().nullish().transform((value) => value ?? undefined),
  // An id; a numeric string is accepted too, as pydantic's int does.
  storage: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]),
  save_original_file: z.boolean().default(true),
  path: z.string(),
  target: z.string(),
  filter: z.record(z.string(), z.unknown()),
  extra_params: z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? undefined),
});

export type ExportParams = z.infer<typeof ExportParams>;

/** A schema accepted where `ExportParams` is: the base one or an extension of it. */
export type ExportParamsSchema = z.ZodType<ExportParams, unknown>;

export interface ValidateParamsOptions<S extends ExportParamsSchema> {
  client: BackendClient;
  targets: TargetRegistry;
  /** A plugin's extended schema; default `ExportParams`. */
  schema?: S;
}

export interface ValidatedParams<P> {
  params: P;
  /** The backend's `storages/{id}/` answer, kept so the action does not fetch it again. */
  storage: JsonObject;
}

/**
 * Checks params against the schema alone (no backend): what `plugin run --items` uses offline.
 * Throws `ParamsValidationError` with the same `{field: [messages]}` as the full validation.
 */
export async function checkParamsShape<S extends ExportParamsSchema = typeof ExportParams>(raw: unknown, schema?: S): Promise<z.output<S>> {
  const parsed = await (schema ?? ExportParams).safeParseAsync(raw);
  if (!parsed.success) throw new ParamsValidationError(order(parsed.error.issues.map((issue) => toIssue(issue, inputOf(raw)))));
  return parsed.data as z.output<S>;
}

/**
 * Validates raw params as the reference's `ExportParams` does, with its error codes and
 * messages: shape (zod), then the storage lookup and the target's filter check against the
 * backend. Every failure is collected; any makes it throw `ParamsValidationError`.
 */
export async function validateExportParams<S extends ExportParamsSchema = typeof ExportParams>(
  raw: unknown,
  options: ValidateParamsOptions<S>,
): Promise<ValidatedParams<z.output<S>>> {
  const schema = options.schema ?? ExportParams;
  const parsed = await schema.safeParseAsync(raw);
  const input = inputOf(raw);
  const issues: ParamsIssue[] = parsed.success ? [] : parsed.error.issues.map((issue) => toIssue(issue, input));
  const failed = new Set(issues.map((issue) => issue.field));

  let storage: JsonObject = {};
  const checks: Array<Promise<void>> = [];
  if (!failed.has('storage')) {
    checks.push(
      options.client.getStorage(input.storage as number).then(
        (answer) => {
          storage = answer;
        },
        (error: unknown) => {
          if (!(error instanceof ClientError)) throw error;
          issues.push({ field: 'storage', code: 'client_error', message: STORAGE_ERROR_MESSAGE });
        },
      ),
    );
  }
  if (!failed.has('target') && !options.targets.has(input.target as string)) {
    issues.push({ field: 'target', code: 'invalid_choice', message: unknownTargetMessage(String(input.target), options.targets.targets) });
  } else if (!failed.has('target') && !failed.has('filter')) {
    const handler = options.targets.get(input.target as string);
    checks.push(
      handler.validateFilter({ ...(input.filter as JsonObject) }, options.client).then(
        () => undefined,
        (error: unknown) => {
          if (!(error instanceof ParamIssue)) throw error;
          issues.push({ field: 'filter', code: error.code, message: error.message });
        },
      ),
    );
  }
  await Promise.all(checks);
  if (issues.length > 0 || !parsed.success) throw new ParamsValidationError(order(issues));
  return { params: parsed.data as z.output<S>, storage };
}

function inputOf(raw: unknown): Record<string, unknown> {
  return (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
}

const REQUIRED_MESSAGE = 'This field is required.';

function toIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): ParamsIssue {
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'non_field_errors';
  const custom = (issue as { params?: { code?: string } }).params?.code;
  if (custom !== undefined) return { field, code: custom, message: issue.message };
  if (issue.path.length === 1 && input[String(issue.path[0])] === undefined) {
    return { field, code: 'required', message: REQUIRED_MESSAGE };
  }
  return { field, code: 'invalid', message: issue.message };
}

/** Issues in the fields' declaration order, so messages come out the same every time. */
function order(issues: ParamsIssue[]): ParamsIssue[] {
  const rank = (field: string): number => {
    const index = Object.keys(ExportParams.shape).indexOf(field.split('.')[0]!);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return [...issues].sort((a, b) => rank(a.field) - rank(b.field));
}
