// The TEST_MONGODB_URI side of the integration-test helpers (no server needed: nothing connects).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { externalMongoUri, ownSecantusSkipReason, startSecantus, useExternalMongo } from '../testing/index.js';

test('externalMongoUri: set and non-empty only', () => {
  assert.equal(externalMongoUri({}), null);
  assert.equal(externalMongoUri({ TEST_MONGODB_URI: '  ' }), null);
  assert.equal(externalMongoUri({ TEST_MONGODB_URI: 'mongodb://localhost:27017' }), 'mongodb://localhost:27017');
});

test('useExternalMongo: host/port parsed, database names suffixed per handle, query kept', () => {
  const a = useExternalMongo('mongodb://localhost:27017');
  const b = useExternalMongo('mongodb://localhost:27017/');
  assert.deepEqual([a.external, a.host, a.port, a.child], [true, 'localhost', 27017, null]);
  assert.match(a.uri('carts'), /^mongodb:\/\/localhost:27017\/carts_[0-9a-f]{8}$/);
  assert.equal(a.uri('carts'), `mongodb://localhost:27017/${a.dbName('carts')}`);
  assert.notEqual(a.dbName('carts'), b.dbName('carts'));
  const c = useExternalMongo('mongodb://u:p@db.example:1234,db2:5/ignored?authSource=admin');
  assert.deepEqual([c.host, c.port], ['db.example', 1234]);
  assert.match(c.uri('products'), /^mongodb:\/\/u:p@db\.example:1234,db2:5\/products_[0-9a-f]{8}\?authSource=admin$/);
  assert.equal(useExternalMongo('mongodb://h').port, 27017);
});

test('startSecantus: TEST_MONGODB_URI is used unless own or port is asked for', async () => {
  const env = { TEST_MONGODB_URI: 'mongodb://127.0.0.1:27017', PATH: '' };
  const db = await startSecantus({ env });
  assert.equal(db.external, true);
  await db.stop(); // nothing was used: no connection, no kill
});

test('ownSecantusSkipReason: a reason only when TEST_MONGODB_URI is set and secantusd-py is missing', () => {
  const nowhere = { repoRoot: '/nonexistent' };
  assert.equal(ownSecantusSkipReason({ PATH: '' }, nowhere), undefined);
  assert.match(ownSecantusSkipReason({ TEST_MONGODB_URI: 'mongodb://h', PATH: '' }, nowhere), /TEST_MONGODB_URI is set/);
  assert.equal(ownSecantusSkipReason({ TEST_MONGODB_URI: 'mongodb://h', SECANTUSD: '/x/secantusd-py' }), undefined);
});
