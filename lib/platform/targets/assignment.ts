import type { ExportItem, ItemId } from '../../types.js';
import { platformFile } from './platform-file.js';
import type { BackendClient, JsonObject } from '../client/index.js';
import type { TargetHandler } from './target-handler.js';
import { probe, requireFilterKey } from './filter-checks.js';

/** Assignments of a project (`sdk/assignments/`); an assignment's media is its `file`. */
export const assignmentHandler: TargetHandler = {
  target: 'assignment',
  async validateFilter(filter: JsonObject, client: BackendClient) {
    requireFilterKey(filter, 'project', 'Project is required for Assignment.');
    await probe('Unable to get Assignment.', () => client.listAssignmentsPage(filter));
    return filter;
  },
  getResults(client, filters) {
    return client.listAssignments(filters);
  },
  toExportItem(result): ExportItem {
    return { data: result.data, files: platformFile(result.file), id: result.id as ItemId };
  },
};
