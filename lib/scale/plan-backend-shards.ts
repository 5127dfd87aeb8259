import type { BaseExporter } from '../exporter/base-exporter.js';
import { nameCandidate } from '../exporter/item-name.js';
import { toRecords } from '../exporter/to-records.js';
import { NamePlanner, type NamePlan } from '../naming/name-plan.js';
import { ExportRun } from '../run/export-run.js';
import { listingSource, type BackendListing } from './backend-listing.js';
import type { ShardPlan, ShardRange } from './shard-plan.js';

type NameSource = Pick<BaseExporter, 'getOriginalFileName'>;

/**
 * Plans a backend listing as up to `shards` runs of contiguous pages and makes its by-id naming
 * plan: the listing is read once (items counted, stems seen), and once more only when some stems
 * collide, exactly as `planFileShards` reads a file. The listing's count goes into the plan, so a
 * shard refuses a listing that has changed since.
 */
export async function planBackendShards(
  listing: BackendListing,
  shards: number,
  exporter: NameSource,
): Promise<Pick<ShardPlan, 'total' | 'shards'> & { names: NamePlan; listing: BackendListing }> {
  const planner = new NamePlanner();
  let total = 0;
  for await (const record of toRecords(listingSource(listing).items(), new ExportRun())) {
    total = record.index;
    const candidate = nameCandidate(exporter, record);
    if (candidate !== undefined) planner.see(candidate.stem);
  }
  const counted = { ...listing, count: total };
  if (planner.hasCollisions) {
    for await (const record of toRecords(listingSource(counted).items(), new ExportRun())) {
      const candidate = nameCandidate(exporter, record);
      if (candidate !== undefined) planner.collect(candidate);
    }
  }
  return { total, shards: pageRanges(total, listing.pageSize, shards), names: planner.plan(), listing: counted };
}

/** Whole pages per shard, as even as pages allow; never an empty shard unless the listing is empty. */
function pageRanges(total: number, pageSize: number, shards: number): ShardRange[] {
  if (total === 0) return [{ shard: 0, firstIndex: 0, count: 0, firstPage: 1, lastPage: 1 }];
  const pages = Math.ceil(total / pageSize);
  const n = Math.min(shards, pages);
  const ranges: ShardRange[] = [];
  for (let k = 0; k < n; k++) {
    const from = Math.floor((k * pages) / n);
    const to = Math.floor(((k + 1) * pages) / n);
    const firstIndex = from * pageSize;
    ranges.push({ shard: k, firstIndex, count: Math.min(to * pageSize, total) - firstIndex, firstPage: from + 1, lastPage: to });
  }
  return ranges;
}
