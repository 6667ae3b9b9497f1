import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, boolVar, commonConfig, enumVar, intVar, mongoUriVar, redactUri, urlVar } from '../src/config.js';

const throwsConfig = (fn, variable, re) =>
  assert.throws(fn, (err) => err instanceof ConfigError && err.variable === variable && re.test(err.message));

test('commonConfig: defaults and the database from the URI path', () => {
  const c = commonConfig({ MONGODB_URI: 'mongodb://u:p@mongodb:27017/products?authSource=admin' });
  assert.equal(c.port, 8080);
  assert.equal(c.logLevel, 'info');
  assert.equal(c.shutdownTimeoutMs, 10000);
  assert.equal(c.mongodb.dbName, 'products');
  assert.equal(c.mongodb.redacted, 'mongodb://u:***@mongodb:27017/products?authSource=admin');
});

test('commonConfig: explicit values', () => {
  const c = commonConfig({ MONGODB_URI: 'mongodb+srv://cluster.example.com/carts', PORT: '9000', LOG_LEVEL: 'DEBUG', SHUTDOWN_TIMEOUT_MS: '250' });
  assert.deepEqual([c.port, c.logLevel, c.shutdownTimeoutMs, c.mongodb.dbName], [9000, 'debug', 250, 'carts']);
});

test('MONGODB_URI missing, without database, malformed: ConfigError naming it, no password', () => {
  throwsConfig(() => commonConfig({}), 'MONGODB_URI', /MONGODB_URI is required/);
  throwsConfig(() => mongoUriVar({ MONGODB_URI: 'mongodb://u:s3cret@h:27017/' }), 'MONGODB_URI', /no database path/);
  throwsConfig(() => mongoUriVar({ MONGODB_URI: 'mongodb://u:s3cret@h:27017' }), 'MONGODB_URI', /no database path/);
  throwsConfig(() => mongoUriVar({ MONGODB_URI: 'http://u:s3cret@h/db' }), 'MONGODB_URI', /must be a mongodb/);
  throwsConfig(() => mongoUriVar({ MONGODB_URI: 'mongodb://u:s3cret@h/a.b' }), 'MONGODB_URI', /invalid database/);
  throwsConfig(() => mongoUriVar({ MONGODB_URI: 'mongodb://h/%E0%A4%A' }), 'MONGODB_URI', /undecodable/);
  for (const uri of ['mongodb://u:s3cret@h:27017/', 'http://u:s3cret@h/db', 'mongodb://u:s3cret@h/a.b']) {
    try {
      mongoUriVar({ MONGODB_URI: uri });
      assert.fail('should throw');
    } catch (err) {
      assert.doesNotMatch(err.message, /s3cret/);
    }
  }
});

test('intVar: range, junk, fallback, required', () => {
  assert.equal(intVar({ X: ' 42 ' }, 'X', { min: 1, max: 50 }), 42);
  assert.equal(intVar({}, 'X', { fallback: 7 }), 7);
  assert.equal(intVar({ X: '' }, 'X', { fallback: 7 }), 7);
  throwsConfig(() => intVar({ X: 'abc' }, 'X', { fallback: 1, min: 1, max: 9 }), 'X', /between 1 and 9 \(got "abc"\)/);
  throwsConfig(() => intVar({ X: '1.5' }, 'X', { fallback: 1 }), 'X', /integer/);
  throwsConfig(() => intVar({ X: '10' }, 'X', { min: 1, max: 9 }), 'X', /between 1 and 9/);
  throwsConfig(() => intVar({}, 'X', {}), 'X', /X is required/);
  throwsConfig(() => commonConfig({ MONGODB_URI: 'mongodb://h/db', PORT: '70000' }), 'PORT', /PORT must be an integer between 0 and 65535/);
});

test('boolVar, enumVar, urlVar', () => {
  assert.equal(boolVar({ B: 'FALSE' }, 'B', { fallback: true }), false);
  assert.equal(boolVar({ B: 'yes' }, 'B'), true);
  assert.equal(boolVar({}, 'B', { fallback: true }), true);
  throwsConfig(() => boolVar({ B: 'maybe' }, 'B', { fallback: true }), 'B', /true or false/);
  throwsConfig(() => boolVar({}, 'B'), 'B', /required/);
  throwsConfig(() => enumVar({ L: 'loud' }, 'L', ['info'], { fallback: 'info' }), 'L', /one of info/);
  throwsConfig(() => enumVar({}, 'L', ['info']), 'L', /required/);
  throwsConfig(() => commonConfig({ MONGODB_URI: 'mongodb://h/db', LOG_LEVEL: 'verbose' }), 'LOG_LEVEL', /LOG_LEVEL must be one of/);
  assert.equal(urlVar({ U: 'http://product:8080/' }, 'U'), 'http://product:8080');
  assert.equal(urlVar({}, 'U', { fallback: 'x' }), 'x');
  throwsConfig(() => urlVar({ U: 'ftp://x' }, 'U'), 'U', /http/);
  throwsConfig(() => urlVar({ U: 'not a url' }, 'U'), 'U', /http/);
  throwsConfig(() => urlVar({}, 'U'), 'U', /required/);
});

test('redactUri hides only the password', () => {
  assert.equal(redactUri('mongodb://user:p%40ss:w@h1:1,h2:2/db?x=1'), 'mongodb://user:***@h1:1,h2:2/db?x=1');
  assert.equal(redactUri('mongodb://h:27017/db'), 'mongodb://h:27017/db');
  assert.equal(redactUri('mongodb://user@h/db'), 'mongodb://user@h/db');
  assert.equal(redactUri(undefined), undefined);
});
