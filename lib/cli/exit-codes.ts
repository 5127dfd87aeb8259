import { ErrorCode } from '../errors.js';
import type { Counts } from '../types.js';

/** The command's exit codes; documented in the README and `--help`. */
export const ExitCode = {
  /** Every item exported or skipped. */
  OK: 0,
  /** Cancelled, or failed for a reason other than bad input. */
  ABORTED: 1,
  /** Bad usage, unreadable input or unwritable output. */
  USAGE: 2,
  /** Finished, but some items failed (see error_file_list.json). */
  ITEMS_FAILED: 3,
} as const;

/** The exit codes as `--help` lists them, for the program's and the `run` command's help. */
export const EXIT_CODES_HELP = `Exit codes:
  0  every item exported (or skipped by the exporter)
  3  finished, but some items failed: see error_file_list.json
  2  bad usage, unreadable input or unwritable output
  1  cancelled (Ctrl-C) or failed for another reason`;

const USAGE_CODES = new Set<string>([
  ErrorCode.INVALID_OPTION,
  ErrorCode.INPUT_UNREADABLE,
  ErrorCode.OUTPUT_UNWRITABLE,
  ErrorCode.PARAMS_INVALID,
  ErrorCode.PLUGIN_INVALID,
]);

export function exitCodeForCounts(counts: Counts): number {
  return counts.failed > 0 ? ExitCode.ITEMS_FAILED : ExitCode.OK;
}

export function exitCodeForError(code: string): number {
  return USAGE_CODES.has(code) ? ExitCode.USAGE : ExitCode.ABORTED;
}
