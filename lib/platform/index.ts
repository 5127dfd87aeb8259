/** The Synapse platform side: params, backend client, targets, storages, the action, plugins. */
export { z } from 'zod';
export * from './client/index.js';
export * from './targets/index.js';
export * from './storages/index.js';
export * from './plugin/index.js';
export { ParamIssue } from './param-issue.js';
export {
  ExportParams,
  validateExportParams,
  checkParamsShape,
  BLANK_MESSAGE,
  STORAGE_ERROR_MESSAGE,
  type ExportParamsSchema,
  type ValidateParamsOptions,
  type ValidatedParams,
} from './params.js';
export { ParamsValidationError, type FieldErrors, type ParamsIssue } from './params-validation-error.js';
export { ExportAction, DATASET_ERROR_MESSAGE, type ExportActionOptions, type ExportActionResult, type ExportActionConfig, type ExporterClass } from './action.js';
export { BackendReporter, type BackendReporterOptions } from './backend-reporter.js';
// The DM schemas are zod's too; the library's validateDm stage and exporters load them on first use.
export { validateDmDocument, dmV1Schema, dmV2Schema } from '../../transforms/dm/validate.js';
