import { ParamIssue } from '../param-issue.js';
import { ClientError, type JsonObject } from '../client/index.js';

/** The reference's `missing_field` check: the key must be present and not null. */
export function requireFilterKey(filter: JsonObject, key: string, message: string): void {
  if (filter[key] === undefined || filter[key] === null) throw new ParamIssue('missing_field', message);
}

/** Runs a backend probe; a `ClientError` becomes the reference's `client_error` issue. */
export async function probe(message: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof ClientError) throw new ParamIssue('client_error', message, { cause: error });
    throw error;
  }
}
