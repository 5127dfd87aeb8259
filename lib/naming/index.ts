export { safeFileName, splitExtension, MAX_NAME_BYTES } from './safe-name.js';
export { NameAllocator } from './name-allocator.js';
export { reserveExportDirectory } from './export-directory.js';
export { NamePlan, NamePlanner, compareCandidates, type NameCandidate, type NamingRule } from './name-plan.js';
export { PlannedNames, type ItemNamer } from './planned-names.js';
