// X-Request-Id: the caller's value when it is 1-128 characters of [A-Za-z0-9._-], else a new UUID.
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';
const VALID = /^[A-Za-z0-9._-]{1,128}$/;

export function isValidRequestId(value) {
  return typeof value === 'string' && VALID.test(value);
}

/** The request id for an incoming request (Node IncomingMessage or anything with .headers). */
export function requestIdFor(req) {
  const value = req?.headers?.[REQUEST_ID_HEADER];
  return isValidRequestId(value) ? value : randomUUID();
}
