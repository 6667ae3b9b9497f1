#!/usr/bin/env node
// Bundle a service into one CommonJS file for the runtime image (no node_modules there):
//   node ../node-kit/bin/bundle.mjs src/server.js dist/server.js
// The sources are ES modules; the bundle is CommonJS so that plain `node server.js` runs it
// without a package.json beside it. import.meta.url is rewritten to the bundle's own file URL.
// The MongoDB driver's optional native/cloud add-ons are left out: it loads them lazily inside
// try/catch and only when a feature (Kerberos, compression, client-side encryption, AWS/GCP
// auth, SOCKS proxy) is configured, which these services do not use.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const EXTERNAL = [
  'kerberos',
  'snappy',
  '@mongodb-js/zstd',
  'mongodb-client-encryption',
  'aws4',
  'gcp-metadata',
  'socks',
  '@aws-sdk/credential-providers',
];

/** Bundle `entry` into `outfile`; resolves to its size in bytes. */
export async function bundle(entry, outfile) {
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: false,
    sourcemap: false,
    legalComments: 'eof',
    external: EXTERNAL,
    define: { 'import.meta.url': '__shopfront_import_meta_url' },
    banner: { js: "const __shopfront_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
    metafile: true,
  });
  return Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [entry = 'src/server.js', outfile = 'dist/server.js'] = process.argv.slice(2);
  const bytes = await bundle(entry, outfile);
  process.stdout.write(`${JSON.stringify({ bundle: outfile, bytes })}\n`);
}
