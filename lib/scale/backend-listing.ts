import { ErrorCode, ExportError } from '../errors.js';
import { BackendClient, type JsonObject, type PageRange } from '../platform/client/index.js';
import { defaultTargets } from '../platform/targets/index.js';
import type { ItemSource } from '../sources/item-source.js';

/**
 * A platform backend listing as the source of a sharded export: a built-in target's results
 * (`assignment`, `ground_truth`, `task`) read in pages of a fixed size, so that page ranges are the
 * same slices on every worker. No credentials: each worker reads its token and tenant from its own
 * environment (`SYNAPSE_ACCESS_TOKEN`, `SYNAPSE_TENANT`), as the platform client always does.
 */
export interface BackendListing {
  kind: 'backend';
  /** The backend API's base URL (`https://api.example.com/`). */
  host: string;
  target: string;
  /** The target's filter, as the export action passes it (`{project: 3, expand: 'data'}`). */
  filter: JsonObject;
  pageSize: number;
  /** Items the listing held when planned: a shard refuses a listing that has changed since. */
  count?: number;
}

/** How messages and a continued export name a listing (no credentials in it). */
export function listingLabel(listing: BackendListing): string {
  return `${listing.target} listing of ${listing.host} ${JSON.stringify(listing.filter)}`;
}

/**
 * The listing's export items, in the listing's order: all of them, or only those of `pages`.
 * Items are mapped by the target's handler, as the export action maps them.
 */
export function listingSource(listing: BackendListing, pages?: PageRange & { firstIndex: number; count: number }): ItemSource {
  const handler = defaultTargets().get(listing.target);
  const label = listingLabel(listing);
  return {
    description: pages === undefined ? label : `${label} (pages ${pages.first}–${pages.last}, items ${pages.firstIndex + 1}–${pages.firstIndex + pages.count})`,
    replayable: true,
    ...(pages === undefined ? {} : { firstIndex: pages.firstIndex, count: async () => pages.count }),
    items: async function* () {
      const client = new BackendClient({ host: listing.host, pageSize: listing.pageSize, ...(pages === undefined ? {} : { pages: { first: pages.first, last: pages.last } }) });
      const { count, results } = await handler.getResults(client, listing.filter);
      if (listing.count !== undefined && count !== listing.count) {
        // Page ranges planned over another count would skip or repeat items.
        throw new ExportError(`the ${label} holds ${count} items, but the sharded export was planned over ${listing.count}: plan the export again`, { code: ErrorCode.SHARD_FAILED });
      }
      for await (const result of results) yield handler.toExportItem(result);
    },
  };
}
