import type { ExportItem, ItemId } from '../../types.js';
import type { TargetHandler } from './target-handler.js';
import { firstDataUnitFile } from './platform-file.js';
import { probe, requireFilterKey } from './filter-checks.js';

/** Events of a ground-truth dataset version (`sdk/ground_truth_events/`). */
export const groundTruthHandler: TargetHandler = {
  target: 'ground_truth',
  async validateFilter(filter, client) {
    requireFilterKey(filter, 'ground_truth_dataset_version', 'Ground Truth dataset version is required.');
    await probe('Unable to get Ground Truth dataset version.', () =>
      client.getGroundTruthVersion(filter.ground_truth_dataset_version as number),
    );
    return filter;
  },
  getResults(client, filters) {
    // The listing filters by the plural key.
    const { ground_truth_dataset_version: version, ...rest } = filters;
    return client.listGroundTruthEvents({ ...rest, ground_truth_dataset_versions: version });
  },
  toExportItem(result): ExportItem {
    return { data: result.data, files: firstDataUnitFile(result), id: result.id as ItemId };
  },
};
