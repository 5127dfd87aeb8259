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
  /** Finished, but some items failed (see error_file_list.json); or stopped by --max-errors. */
  ITEMS_FAILED: 3,
  /** Cancelled by SIGINT (Ctrl-C): 128 + 2, as shells report it. */
  INTERRUPTED: 130,
  /** Cancelled by SIGTERM: 128 + 15. */
  TERMINATED: 143,
} as const;

/** The exit codes as `--help` lists them, for the program's and the `run` command's help. */
export const EXIT_CODES_HELP = `Exit codes:
  0    every item exported (or skipped by the exporter)
  3    finished, but some items failed (see error_file_list.json), or stopped by --max-errors/--fail-fast
  2    bad usage, unreadable input or unwritable output
  130  cancelled by Ctrl-C (SIGINT); 143 by SIGTERM; a second signal quits at once
  1    failed for another reason`;

const USAGE_CODES = new Set<string>([
  ErrorCode.INVALID_OPTION,
  ErrorCode.INPUT_UNREADABLE,
  ErrorCode.OUTPUT_UNWRITABLE,
  ErrorCode.PARAMS_INVALID,
  ErrorCode.PLUGIN_INVALID,
  ErrorCode.RESUME_REFUSED,
]);

export function exitCodeForCounts(counts: Counts): number {
  return counts.failed > 0 ? ExitCode.ITEMS_FAILED : ExitCode.OK;
}

export function exitCodeForError(code: string): number {
  if (USAGE_CODES.has(code)) return ExitCode.USAGE;
  if (code === ErrorCode.TOO_MANY_ERRORS) return ExitCode.ITEMS_FAILED;
  return ExitCode.ABORTED;
}

/** The exit code of a run cancelled by this signal. */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? ExitCode.TERMINATED : ExitCode.INTERRUPTED;
}
