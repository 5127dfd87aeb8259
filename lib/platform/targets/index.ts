export type { TargetHandler } from './target-handler.js';
export { assignmentHandler } from './assignment.js';
export { groundTruthHandler } from './ground-truth.js';
export { taskHandler, TASK_EXPAND } from './task.js';
export { TargetRegistry, defaultTargets, unknownTargetMessage } from './target-registry.js';
export { firstDataUnitFile, platformFile } from './platform-file.js';
