import { ErrorCode, ExportError } from '../errors.js';

/** Field errors, as the platform shows them: `{field: [messages]}` (DRF style). */
export type FieldErrors = Record<string, string[]>;

/** One failed check: the field, the reference's code, the message. */
export interface ParamsIssue {
  field: string;
  code: string;
  message: string;
}

/**
 * Params that failed validation; `errors` is `{field: [messages]}`, `issues` adds the codes. Apart
 * from the schema (params.ts) so that the CLI recognises it without loading zod.
 */
export class ParamsValidationError extends ExportError {
  readonly errors: FieldErrors;
  readonly issues: readonly ParamsIssue[];

  constructor(issues: readonly ParamsIssue[]) {
    const errors: FieldErrors = {};
    for (const issue of issues) (errors[issue.field] ??= []).push(issue.message);
    const summary = Object.entries(errors)
      .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
      .join('; ');
    super(`Invalid export params: ${summary}`, { code: ErrorCode.PARAMS_INVALID });
    this.name = 'ParamsValidationError';
    this.errors = errors;
    this.issues = issues;
  }

  /** The reference's ActionError payload: `{params: {field: [messages]}}`. */
  toJSON(): { params: FieldErrors } {
    return { params: this.errors };
  }
}
