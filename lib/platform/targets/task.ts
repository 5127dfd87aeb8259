import type { ExportItem, ItemId } from '../../types.js';
import type { TargetHandler } from './target-handler.js';
import { firstDataUnitFile } from './platform-file.js';
import { probe, requireFilterKey } from './filter-checks.js';

/** The expansions a task listing needs: its data unit (for the files), assignment and workshop. */
export const TASK_EXPAND = ['data_unit', 'assignment', 'workshop'] as const;

/** Tasks of a project (`sdk/tasks/`). */
export const taskHandler: TargetHandler = {
  target: 'task',
  async validateFilter(filter, client) {
    requireFilterKey(filter, 'project', 'Project is required for Task.');
    await probe('Unable to get Task.', () => client.listTasksPage(filter));
    return filter;
  },
  getResults(client, filters) {
    // As the reference, this replaces any `expand` (including the action's `data`, see README).
    return client.listTasks({ ...filters, expand: [...TASK_EXPAND] });
  },
  toExportItem(result): ExportItem {
    return { data: result.data, files: firstDataUnitFile(result), id: result.id as ItemId };
  },
};
