// Test helpers shared by the services' integration tests: a real SecantusDB (MongoDB
// wire-protocol server) on a free loopback port, or the server of $TEST_MONGODB_URI when set, and
// a spawned service process whose JSON log lines are collected.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// services/node-kit/testing -> the repository root is two levels above services/node-kit.
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The secantusd-py binary: $SECANTUSD, else <repo>/.venv-mongo/bin/secantusd-py, else PATH. */
export function findSecantusd({ env = process.env, repoRoot = REPO_ROOT } = {}) {
  if (env.SECANTUSD) return env.SECANTUSD;
  const venv = join(repoRoot, '.venv-mongo', 'bin', 'secantusd-py');
  if (existsSync(venv)) return venv;
  for (const dir of (env.PATH || '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'secantusd-py'))) return join(dir, 'secantusd-py');
  }
  throw new Error('secantusd-py not found: set SECANTUSD, run scripts/bootstrap.sh (.venv-mongo) or put it on PATH');
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolve when a TCP connection to host:port succeeds, or reject after timeoutMs. */
export async function waitForPort(port, { host = '127.0.0.1', timeoutMs = 20000, child } = {}) {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before listening on ${port}`);
    const ok = await new Promise((r) => {
      const s = connect({ port, host }, () => {
        s.destroy();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
}

/** $TEST_MONGODB_URI when set and non-empty (CI: a MongoDB service container), else null. */
export function externalMongoUri(env = process.env) {
  const uri = (env.TEST_MONGODB_URI || '').trim();
  return uri || null;
}

/**
 * Why a test that kills or restarts its database cannot run, or undefined when it can: with
 * TEST_MONGODB_URI set such a test still starts its own SecantusDB, and is skipped only when
 * secantusd-py is not installed. Use as `test(name, { skip: ownSecantusSkipReason() }, fn)`.
 */
export function ownSecantusSkipReason(env = process.env, { repoRoot = REPO_ROOT } = {}) {
  if (!externalMongoUri(env)) return undefined; // no external server: startSecantus() fails loudly as before
  try {
    findSecantusd({ env, repoRoot });
    return undefined;
  } catch {
    return 'TEST_MONGODB_URI is set and secantusd-py is not installed: this test kills/restarts its database, so it needs its own SecantusDB';
  }
}

/**
 * The external server of TEST_MONGODB_URI, shaped like startSecantus()'s handle. Each handle
 * suffixes a random hex to the database names passed to uri(db) (so test runs and tests do not
 * see each other's data); stop()/kill() drop those databases and never touch the server.
 */
export function useExternalMongo(base = externalMongoUri()) {
  if (!base) throw new Error('useExternalMongo: TEST_MONGODB_URI is not set');
  const scheme = base.indexOf('://');
  if (scheme < 0) throw new Error(`TEST_MONGODB_URI is not a mongodb:// URI: ${base}`);
  const q = base.indexOf('?');
  const query = q >= 0 ? base.slice(q) : '';
  const noQuery = q >= 0 ? base.slice(0, q) : base;
  const slash = noQuery.indexOf('/', scheme + 3);
  const prefix = slash >= 0 ? noQuery.slice(0, slash) : noQuery; // mongodb://[user:pw@]host[:port][,...]
  const hosts = prefix.slice(prefix.lastIndexOf('@') + 1 || scheme + 3);
  const first = hosts.split(',')[0];
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(first) || [];
  const host = m[1] || '127.0.0.1';
  const port = Number(m[2] || 27017);
  const suffix = randomBytes(4).toString('hex');
  const used = new Set();
  const name = (db) => {
    const full = `${db}_${suffix}`;
    used.add(full);
    return full;
  };
  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      if (!used.size) return;
      const { MongoClient } = await import('mongodb');
      const client = new MongoClient(`${prefix}/${query}`, { serverSelectionTimeoutMS: 5000 });
      try {
        for (const db of used) await client.db(db).dropDatabase();
      } catch {
        // best effort: the names are unique per handle anyway
      } finally {
        await client.close();
      }
    })();
    return stopped;
  };
  return {
    external: true,
    host,
    port,
    child: null,
    dbName: name,
    uri: (db) => `${prefix}/${name(db)}${query}`,
    output: () => '',
    stop,
    kill: stop,
  };
}

/**
 * startSecantus(): a SecantusDB with in-memory storage on a free loopback port.
 * Returns {host, port, uri(db), dbName(db), stop(), kill(), child, output(), external}.
 *
 * When TEST_MONGODB_URI is set (CI's MongoDB container) and neither `own` nor `port` is given,
 * that server is used instead (see useExternalMongo(): unique database names, stop() leaves the
 * server running). Tests that kill or restart the database pass `{ own: true }`.
 */
export async function startSecantus({ binary, port: wantPort, own = false, env = process.env } = {}) {
  if (!own && wantPort === undefined && externalMongoUri(env)) return useExternalMongo(externalMongoUri(env));
  binary ??= findSecantusd({ env });
  const port = wantPort ?? (await freePort());
  const child = spawn(binary, ['--host', '127.0.0.1', '--port', String(port), '--storage-path', ':memory:', '--log-level', 'WARNING'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await waitForPort(port, { child, timeoutMs: 30000 });
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${out}`);
  }
  const stopWith = async (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    external: false,
    host: '127.0.0.1',
    port,
    child,
    dbName: (db) => db,
    uri: (db) => `mongodb://127.0.0.1:${port}/${db}`,
    output: () => out,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}

/**
 * spawnService(script, env): run `node script` with env; collects stdout JSON lines.
 * Returns {child, lines(), logs() (parsed), waitForLog(pred, ms), exited, stderr()}.
 */
export function spawnService(script, env, { cwd } = {}) {
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = [];
  const logs = () =>
    stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        try {
          return JSON.parse(l);
        } catch {
          return { unparsed: l };
        }
      });
  const check = () => {
    for (const w of [...waiters]) {
      const hit = logs().find(w.pred);
      if (hit) {
        waiters.splice(waiters.indexOf(w), 1);
        clearTimeout(w.timer);
        w.resolve(hit);
      }
    }
  };
  child.stdout.on('data', (d) => {
    stdout += d;
    check();
  });
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return {
    child,
    exited,
    lines: () => stdout.split('\n').filter(Boolean),
    logs,
    stderr: () => stderr,
    waitForLog(pred, ms = 15000) {
      return new Promise((resolveLog, reject) => {
        const w = { pred, resolve: resolveLog };
        w.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching log line within ${ms} ms; stdout:\n${stdout}\nstderr:\n${stderr}`));
        }, ms);
        waiters.push(w);
        check();
        exited.then(() => {
          if (waiters.includes(w)) {
            clearTimeout(w.timer);
            waiters.splice(waiters.indexOf(w), 1);
            reject(new Error(`process exited before a matching log line; stdout:\n${stdout}\nstderr:\n${stderr}`));
          }
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Poll `fn` until it returns truthy or timeoutMs passes. */
export async function eventually(fn, { timeoutMs = 10000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last: ${last?.message ?? JSON.stringify(last)})`);
}

/**
 * startServiceProcess(script, env): spawn a service with PORT=0 and wait for its "listening" log
 * line. Returns the spawnService() handle plus {port, url}.
 */
export async function startServiceProcess(script, env, { cwd, timeoutMs = 20000 } = {}) {
  const svc = spawnService(script, { PORT: '0', LOG_LEVEL: 'info', ...env }, { cwd });
  const line = await svc.waitForLog((l) => l.msg === 'listening' && typeof l.port === 'number', timeoutMs);
  return { ...svc, port: line.port, url: `http://127.0.0.1:${line.port}` };
}

/** Wait until GET url/ready answers 200. */
export async function waitReady(url, { timeoutMs = 20000 } = {}) {
  await eventually(async () => (await fetch(`${url}/ready`)).status === 200, { timeoutMs, intervalMs: 150 });
}

/** The value of one sample in Prometheus text, or 0 when absent. */
export function metricValue(text, name, labels) {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.indexOf('}'));
    const parts = inner.split(',');
    if (want.every((w) => parts.includes(w))) return Number(line.slice(line.indexOf('}') + 1));
  }
  return 0;
}

/**
 * A raw HTTP request whose body is sent in two parts: the headers and `first` now, the rest when
 * finish() is called. For "in-flight request during shutdown" tests. Resolves `response` with
 * {status, headers, body} text.
 */
export async function slowRequest(port, { method = 'PUT', path, body, splitAt = Math.floor(body.length / 2), headers = {} }) {
  const { connect } = await import('node:net');
  const socket = connect({ port, host: '127.0.0.1' });
  await new Promise((r, j) => {
    socket.once('connect', r);
    socket.once('error', j);
  });
  let raw = '';
  socket.on('data', (d) => (raw += d));
  const response = new Promise((resolveResponse, reject) => {
    socket.on('error', reject);
    socket.on('close', () => {
      const [head, ...rest] = raw.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      resolveResponse({
        status: Number(statusLine.split(' ')[1]),
        headers: Object.fromEntries(headerLines.map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()])),
        body: rest.join('\r\n\r\n'),
      });
    });
  });
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.write(
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n${body.slice(0, splitAt)}`,
  );
  return { response, finish: () => socket.write(body.slice(splitAt)) };
}
