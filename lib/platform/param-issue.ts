/**
 * One reason a param is invalid, with the reference's error code (`blank`, `missing_field`,
 * `client_error`…). Target handlers throw it from `validateFilter`; params validation collects it
 * under the field it is about.
 */
export class ParamIssue extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ParamIssue';
  }
}
