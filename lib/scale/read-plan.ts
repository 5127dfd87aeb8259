import { ErrorCode, ExportError } from '../errors.js';
import { NamePlan } from '../naming/name-plan.js';
import { SHARD_STATE_DIRECTORY, shardLabel, type ShardPlan } from './shard-plan.js';
import type { ShardStore } from './shard-store.js';

export const PLAN_FILE = `${SHARD_STATE_DIRECTORY}/plan.json`;

/** Where a shard's slice of the naming plan is stored. */
export function shardNamesPath(shard: number): string {
  return `${SHARD_STATE_DIRECTORY}/${shardLabel(shard)}/names.json`;
}

/** Stores the plan: each shard's names first, the plan last (a plan in storage is a whole one). */
export async function storePlan(store: ShardStore, plan: ShardPlan, names: NamePlan): Promise<void> {
  const assigned = names.toJSON().assigned;
  for (const range of plan.shards) {
    const mine = assigned.filter(([index]) => index > range.firstIndex && index <= range.firstIndex + range.count);
    await store.putJson(shardNamesPath(range.shard), { assigned: mine });
  }
  await store.putJson(PLAN_FILE, plan);
}

/** A shard's slice of the naming plan. */
export async function readShardNames(store: ShardStore, shard: number): Promise<NamePlan> {
  const names = await store.getJson<ReturnType<NamePlan['toJSON']>>(shardNamesPath(shard));
  if (names === undefined) throw new ExportError(`${store.uri} has no ${shardNamesPath(shard)}: the plan is incomplete`, { code: ErrorCode.SHARD_FAILED });
  return NamePlan.fromJSON(names);
}

/** The export's plan from storage; a missing one means the export was never planned there (or is finished). */
export async function readPlan(store: ShardStore): Promise<ShardPlan> {
  const plan = await store.getJson<ShardPlan>(PLAN_FILE);
  if (plan === undefined) throw new ExportError(`${store.uri} has no ${PLAN_FILE}: no sharded export is planned there`, { code: ErrorCode.SHARD_FAILED });
  if (plan.version !== 1) throw new ExportError(`${store.uri}: plan version ${String(plan.version)} is not one this synapse-export reads`, { code: ErrorCode.SHARD_FAILED });
  return plan;
}
