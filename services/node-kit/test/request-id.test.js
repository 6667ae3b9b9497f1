import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidRequestId, requestIdFor } from '../src/request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('valid caller ids are kept', () => {
  for (const id of ['a', 'abc-DEF_1.2', 'x'.repeat(128)]) {
    assert.ok(isValidRequestId(id));
    assert.equal(requestIdFor({ headers: { 'x-request-id': id } }), id);
  }
});

test('missing or invalid ids get a new UUID', () => {
  for (const id of [undefined, '', 'x'.repeat(129), 'has space', 'semi;colon', 'ünï', ['a', 'b']]) {
    assert.ok(!isValidRequestId(id));
    assert.match(requestIdFor({ headers: { 'x-request-id': id } }), UUID);
  }
  assert.match(requestIdFor(undefined), UUID);
  assert.notEqual(requestIdFor({ headers: {} }), requestIdFor({ headers: {} }));
});
