// @shopfront/node-kit: what the Shopfront Node.js API services share.
export { ConfigError, boolVar, commonConfig, enumVar, intVar, mongoUriVar, redactUri, urlVar } from './config.js';
export { HttpError, httpError, isDatabaseUnavailable, toErrorResponse, validationDetails } from './errors.js';
export { createHttpApp, templateToRegExp, withTimeout } from './http.js';
export { installShutdown, runService } from './lifecycle.js';
export { createLogger } from './logger.js';
export { UNMATCHED_ROUTE, createMetrics } from './metrics.js';
export { createMongo, startInit } from './mongo.js';
export { REQUEST_ID_HEADER, isValidRequestId, requestIdFor } from './request-id.js';
