#!/usr/bin/env node
// Run a service's tests under c8 and write services/<svc>/coverage/lcov.info with paths relative
// to the service folder (src/app.js, ../node-kit/src/http.js), as SonarCloud resolves them.
//   node ../node-kit/bin/coverage.mjs [test dirs...]     (from services/<svc>; default test/)
// Spawned service processes are covered too (c8 collects NODE_V8_COVERAGE from children).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const serviceDir = process.cwd();
const svc = basename(serviceDir);
const servicesDir = dirname(serviceDir);
const tests = process.argv.slice(2).length ? process.argv.slice(2) : ['test/'];
const c8 = createRequire(join(servicesDir, 'package.json')).resolve('c8/bin/c8.js');
const reportDir = join(svc, 'coverage');

rmSync(join(serviceDir, 'coverage'), { recursive: true, force: true });
const run = spawnSync(
  process.execPath,
  [
    c8,
    '--reporter=lcov',
    '--reporter=text-summary',
    `--report-dir=${reportDir}`,
    `--temp-directory=${join(reportDir, '.tmp')}`,
    `--include=${svc}/src/**`,
    '--include=node-kit/src/**',
    process.execPath,
    '--test',
    ...tests.map((t) => join(svc, t)),
  ],
  { cwd: servicesDir, stdio: 'inherit' },
);
const lcov = resolve(serviceDir, 'coverage', 'lcov.info');
try {
  const text = readFileSync(lcov, 'utf8')
    .replaceAll(`SF:${svc}/`, 'SF:')
    .replace(/^SF:(?!\.\.\/)(?!src\/)/gm, 'SF:../');
  writeFileSync(lcov, text);
  process.stdout.write(`coverage: ${lcov}\n`);
} catch (err) {
  process.stderr.write(`coverage: no lcov.info (${err.message})\n`);
  if (run.status === 0) process.exit(1);
}
rmSync(join(serviceDir, 'coverage', '.tmp'), { recursive: true, force: true });
process.exit(run.status ?? 1);
