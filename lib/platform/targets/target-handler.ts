import type { ExportItem } from '../../types.js';
import type { BackendClient, JsonObject, Listing } from '../client/index.js';

/**
 * One export target (`assignment`, `ground_truth`, `task`, or a plugin's own): how its filter is
 * checked, how its results are listed, and how one result becomes an export item.
 */
export interface TargetHandler {
  readonly target: string;
  /** Throws a `ParamIssue` when the filter is invalid; returns it unchanged otherwise. */
  validateFilter(filter: JsonObject, client: BackendClient): Promise<JsonObject>;
  /** Lists every result: the server's count and a lazy walk over the pages. */
  getResults(client: BackendClient, filters: JsonObject): Promise<Listing<JsonObject>>;
  /** Maps one result to `{data, files, id}`. */
  toExportItem(result: JsonObject): ExportItem;
}
