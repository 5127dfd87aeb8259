export { runShardedExport, type ShardedExportOptions, type ShardedExportResult } from './run-sharded-export.js';
export { ShardWorker, type ShardWorkerOptions } from './shard-worker.js';
export { planFileShards, BLOCK_ENTRIES } from './plan-shards.js';
export { runShard, shardStatePath, type RunShardOptions, type ShardOutcome } from './run-shard.js';
export { fanIn, type FanInOptions, type FanInResult } from './fan-in.js';
export { ShardStore } from './shard-store.js';
export { shardSource } from './shard-source.js';
export { SHARD_QUEUE, FAN_IN_QUEUE, type ShardJobData, type FanInJobData } from './queues.js';
export { SHARD_STATE_DIRECTORY, type ShardPlan, type ShardRange, type ShardTarget, type ShardedExportSpec } from './shard-plan.js';
