// Configuration from the environment only. Each reader returns the parsed value or throws a
// ConfigError naming the variable and what it expects; the process entry point turns that into
// one JSON log line and exit code 1 (see lifecycle.js).
import ConnectionString from 'mongodb-connection-string-url';

export class ConfigError extends Error {
  constructor(variable, message) {
    super(message);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The raw value of NAME, or undefined when unset or empty (an empty value means "default"). */
function raw(env, name) {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/** An integer in [min, max]; `fallback` when unset. */
export function intVar(env, name, { fallback, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}) {
  const value = raw(env, name);
  if (value === undefined) {
    if (fallback === undefined) throw new ConfigError(name, `${name} is required: an integer between ${min} and ${max}`);
    return fallback;
  }
  const trimmed = value.trim();
  const n = /^-?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(name, `${name} must be an integer between ${min} and ${max} (got ${JSON.stringify(value)})`);
  }
  return n;
}

/** "true" / "false" (also 1/0, yes/no, case-insensitive); `fallback` when unset. */
export function boolVar(env, name, { fallback } = {}) {
  const value = raw(env, name);
  if (value === undefined) {
    if (fallback === undefined) throw new ConfigError(name, `${name} is required: true or false`);
    return fallback;
  }
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(name, `${name} must be true or false (got ${JSON.stringify(value)})`);
}

/** One of `choices`; `fallback` when unset. */
export function enumVar(env, name, choices, { fallback } = {}) {
  const value = raw(env, name);
  if (value === undefined) {
    if (fallback === undefined) throw new ConfigError(name, `${name} is required: one of ${choices.join(', ')}`);
    return fallback;
  }
  const v = value.trim().toLowerCase();
  if (!choices.includes(v)) {
    throw new ConfigError(name, `${name} must be one of ${choices.join(', ')} (got ${JSON.stringify(value)})`);
  }
  return v;
}

/** An absolute http(s) URL without credentials (for calls to other services). */
export function urlVar(env, name, { fallback } = {}) {
  const value = raw(env, name);
  if (value === undefined) {
    if (fallback === undefined) throw new ConfigError(name, `${name} is required: an http:// or https:// URL`);
    return fallback;
  }
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    throw new ConfigError(name, `${name} must be an http:// or https:// URL (got ${JSON.stringify(value)})`);
  }
  if (!['http:', 'https:'].includes(url.protocol)) {
    throw new ConfigError(name, `${name} must be an http:// or https:// URL (got ${JSON.stringify(value)})`);
  }
  return url.href.replace(/\/+$/, '');
}

/** The URI with its password replaced by "***" (safe to log). Never throws. */
export function redactUri(uri) {
  if (typeof uri !== 'string') return uri;
  // scheme://user:password@hosts...: replace everything between the first ':' after the
  // scheme's '//' and the last '@' before the path.
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^/?#]*@/i, '$1:***@');
}

// Characters MongoDB forbids in database names (on any platform) plus the empty name.
const BAD_DB_CHARS = /[/\\. "$*<>:|?\0]/;

/**
 * MONGODB_URI: required, mongodb:// or mongodb+srv://, and its path names the database.
 * Returns {uri, dbName, redacted}. Error messages carry the redacted URI only.
 */
export function mongoUriVar(env, name = 'MONGODB_URI') {
  const expects =
    'a mongodb:// or mongodb+srv:// URI whose path names the database, e.g. mongodb://user:pass@mongodb:27017/products?authSource=admin';
  const value = raw(env, name);
  if (value === undefined) throw new ConfigError(name, `${name} is required: ${expects}`);
  const uri = value.trim();
  const redacted = redactUri(uri);
  let parsed;
  try {
    parsed = new ConnectionString(uri);
  } catch (err) {
    // The parser's messages do not echo the password; keep only the first line anyway.
    const reason = String(err.message || err).split('\n')[0].replaceAll(uri, redacted);
    throw new ConfigError(name, `${name} must be ${expects} (${reason}; got ${redacted})`);
  }
  let dbName = parsed.pathname.replace(/^\//, '');
  try {
    dbName = decodeURIComponent(dbName);
  } catch {
    throw new ConfigError(name, `${name} has an undecodable database path (got ${redacted})`);
  }
  if (!dbName) throw new ConfigError(name, `${name} has no database path: it must be ${expects} (got ${redacted})`);
  if (BAD_DB_CHARS.test(dbName) || Buffer.byteLength(dbName) > 63) {
    throw new ConfigError(name, `${name} names an invalid database ${JSON.stringify(dbName)}: at most 63 bytes, none of / \\ . " $ * < > : | ? or space (got ${redacted})`);
  }
  return { uri, dbName, redacted };
}

/** The settings every API service shares (see services/README.md, "The service contract"). */
export function commonConfig(env) {
  return {
    port: intVar(env, 'PORT', { fallback: 8080, min: 0, max: 65535 }),
    mongodb: mongoUriVar(env, 'MONGODB_URI'),
    logLevel: enumVar(env, 'LOG_LEVEL', LOG_LEVELS, { fallback: 'info' }),
    shutdownTimeoutMs: intVar(env, 'SHUTDOWN_TIMEOUT_MS', { fallback: 10000, min: 0, max: 600000 }),
  };
}

export { LOG_LEVELS };
