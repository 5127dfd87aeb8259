export { stage, type StageHook, type StageOptions } from './stage.js';
export { windowed, type WindowOptions, type WindowStream } from './window.js';
export { fanOut, writeToSinks, closeSinks, type Sink } from './fan-out.js';
export { createLimiter, type Limiter } from './limiter.js';
export { toRecords } from '../exporter/to-records.js';
