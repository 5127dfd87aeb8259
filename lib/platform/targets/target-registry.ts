import { ErrorCode, ExportTargetError } from '../../errors.js';
import { assignmentHandler } from './assignment.js';
import { groundTruthHandler } from './ground-truth.js';
import { taskHandler } from './task.js';
import type { TargetHandler } from './target-handler.js';

/** Export targets by name. A plugin adds its own with `register`. */
export class TargetRegistry {
  private readonly handlers = new Map<string, TargetHandler>();

  constructor(handlers: readonly TargetHandler[] = []) {
    for (const handler of handlers) this.register(handler);
  }

  register(handler: TargetHandler): this {
    this.handlers.set(handler.target, handler);
    return this;
  }

  has(target: string): boolean {
    return this.handlers.has(target);
  }

  get targets(): string[] {
    return [...this.handlers.keys()];
  }

  /** The handler of `target`; an unknown one is an error that lists the supported targets. */
  get(target: string): TargetHandler {
    const handler = this.handlers.get(target);
    if (handler === undefined) throw new ExportTargetError(unknownTargetMessage(target, this.targets), target, { code: ErrorCode.TARGET_UNKNOWN });
    return handler;
  }
}

export function unknownTargetMessage(target: string, supported: readonly string[]): string {
  return `Unknown target: '${target}'. Supported targets: ${supported.join(', ')}`;
}

/** A registry holding the three built-in targets; make one per action so plugins do not leak into each other. */
export function defaultTargets(): TargetRegistry {
  return new TargetRegistry([assignmentHandler, groundTruthHandler, taskHandler]);
}
