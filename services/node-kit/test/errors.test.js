import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HttpError, httpError, isDatabaseUnavailable, toErrorResponse } from '../src/errors.js';

test('validation errors -> 400 with details per field', () => {
  const err = new Error('body/quantity must be <= 99');
  err.validation = [
    { instancePath: '/quantity', keyword: 'maximum', message: 'must be <= 99', params: {} },
    { instancePath: '', keyword: 'required', message: "must have required property 'x'", params: { missingProperty: 'x' } },
    { instancePath: '', keyword: 'additionalProperties', message: 'must NOT have additional properties', params: { additionalProperty: 'y' } },
  ];
  err.validationContext = 'body';
  const r = toErrorResponse(err);
  assert.equal(r.statusCode, 400);
  assert.match(r.body.message, /quantity must be <= 99/);
  assert.deepEqual(r.body.details.map((d) => d.field), ['quantity', 'x', 'y']);
  assert.ok(r.body.details.every((d) => d.location === 'body'));
});

test('JSON syntax, empty JSON body, media type', () => {
  const syntax = Object.assign(new SyntaxError('Unexpected token'), { statusCode: 400 });
  assert.equal(toErrorResponse(syntax).statusCode, 400);
  assert.match(toErrorResponse(syntax).body.message, /not valid JSON/);
  assert.equal(toErrorResponse({ code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'x' }).statusCode, 400);
  assert.equal(toErrorResponse({ code: 'FST_ERR_CTP_EMPTY_JSON_BODY', statusCode: 400 }).statusCode, 400);
  assert.equal(toErrorResponse({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }).statusCode, 415);
});

test('database unavailable -> 503; HttpError 4xx keeps status and details; unknown -> 500', () => {
  const sel = Object.assign(new Error('x'), { name: 'MongoServerSelectionError' });
  assert.ok(isDatabaseUnavailable(sel));
  assert.ok(isDatabaseUnavailable(Object.assign(new Error('auth'), { name: 'MongoServerError', code: 18 })));
  assert.ok(!isDatabaseUnavailable(Object.assign(new Error('dup'), { name: 'MongoServerError', code: 11000 })));
  assert.equal(toErrorResponse(sel).statusCode, 503);
  const nf = httpError(404, 'cart x not found', [{ a: 1 }]);
  assert.ok(nf instanceof HttpError);
  assert.deepEqual(toErrorResponse(nf), { statusCode: 404, body: { message: 'cart x not found', details: [{ a: 1 }] } });
  assert.deepEqual(toErrorResponse(httpError(502, 'upstream')), { statusCode: 502, body: { message: 'upstream' }, log: 'error' });
  const boom = toErrorResponse(new TypeError('secret internals'));
  assert.equal(boom.statusCode, 500);
  assert.doesNotMatch(boom.body.message, /secret/);
});
