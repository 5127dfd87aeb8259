import { ErrorCode, ExportError } from '../errors.js';
import { SHARD_STATE_DIRECTORY, type ShardPlan } from './shard-plan.js';
import type { ShardStore } from './shard-store.js';

export const PLAN_FILE = `${SHARD_STATE_DIRECTORY}/plan.json`;

/** The export's plan from storage; a missing one means the export was never planned there (or is finished). */
export async function readPlan(store: ShardStore): Promise<ShardPlan> {
  const plan = await store.getJson<ShardPlan>(PLAN_FILE);
  if (plan === undefined) throw new ExportError(`${store.uri} has no ${PLAN_FILE}: no sharded export is planned there`, { code: ErrorCode.SHARD_FAILED });
  if (plan.version !== 1) throw new ExportError(`${store.uri}: plan version ${String(plan.version)} is not one this synapse-export reads`, { code: ErrorCode.SHARD_FAILED });
  return plan;
}
