// Errors as JSON {message, details?}. Bad input is a 4xx that says what is wrong, never a 500;
// an unreachable database is a 503; anything else is a logged 500 without internals.

export class HttpError extends Error {
  constructor(statusCode, message, details) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    if (details !== undefined) this.details = details;
  }
}

export const httpError = (statusCode, message, details) => new HttpError(statusCode, message, details);

// Driver errors that mean "the database cannot be reached right now".
const MONGO_UNAVAILABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoOperationTimeoutError',
]);

// Server answers that mean the same for a client: wrong credentials (18), not authorized (13).
const MONGO_UNAVAILABLE_CODES = new Set([13, 18]);

export function isDatabaseUnavailable(err) {
  return Boolean(err && (MONGO_UNAVAILABLE.has(err.name) || (err.name === 'MongoServerError' && MONGO_UNAVAILABLE_CODES.has(err.code))));
}

/** One entry of `details` per schema violation: {location, path, message}. */
export function validationDetails(err) {
  const where = err.validationContext || 'request';
  return (err.validation || []).map((v) => {
    let path = v.instancePath || '';
    if (v.keyword === 'required' && v.params?.missingProperty) path += `/${v.params.missingProperty}`;
    if (v.keyword === 'additionalProperties' && v.params?.additionalProperty) {
      path += `/${v.params.additionalProperty}`;
    }
    const field = path.replace(/^\//, '').replaceAll('/', '.');
    return { location: where, ...(field ? { field } : {}), message: v.message };
  });
}

/**
 * Map any error to {statusCode, body, log}. `log` is 'error' for 5xx (with the error object
 * logged by the caller), 'info' otherwise.
 */
export function toErrorResponse(err) {
  if (err?.validation) {
    return { statusCode: 400, body: { message: `invalid request: ${err.message}`, details: validationDetails(err) } };
  }
  const code = err?.code;
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (err instanceof SyntaxError && err.statusCode === 400)) {
    return { statusCode: 400, body: { message: `request body is not valid JSON: ${err.message}` } };
  }
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return { statusCode: 400, body: { message: 'request body is empty but Content-Type is application/json' } };
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { statusCode: 415, body: { message: `unsupported Content-Type: send application/json` } };
  }
  if (isDatabaseUnavailable(err)) {
    return { statusCode: 503, body: { message: 'the database is unavailable, try again later' }, log: 'warn' };
  }
  const status = Number(err?.statusCode);
  if (Number.isInteger(status) && status >= 400 && status < 500) {
    const body = { message: err.message || 'bad request' };
    if (err.details !== undefined) body.details = err.details;
    return { statusCode: status, body };
  }
  if (err instanceof HttpError) {
    return { statusCode: err.statusCode, body: { message: err.message }, log: 'error' };
  }
  return { statusCode: 500, body: { message: 'internal server error' }, log: 'error' };
}
