import type { ConnectionOptions } from 'bullmq';
import type { ShardTarget } from './shard-plan.js';

/** The BullMQ queue of shard jobs (children of a flow). */
export const SHARD_QUEUE = 'synapse-export-shard';
/** The BullMQ queue of fan-in jobs (a flow's parent, run once all its shards are done). */
export const FAN_IN_QUEUE = 'synapse-export-fan-in';

/** A job only says where the export's plan is; everything else is read from storage. */
export interface ShardJobData {
  target: ShardTarget;
  shard: number;
}

export interface FanInJobData {
  target: ShardTarget;
}

/** How often BullMQ retries a failed or stalled shard before the export fails. */
export const SHARD_ATTEMPTS = 5;

/** BullMQ's connection for a `redis://` URL; blocking commands must be allowed to wait. */
export function redisConnection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null };
}
