#!/usr/bin/env node
// The `aks-day2` command. Runs on Node.js >= 22: when started by an older node it re-executes itself
// with the Node 22 that `npm ci` installs into node_modules (devDependency `node`). TypeScript is loaded
// through tsx, so no build step is needed for the CLI, the simulator or the demo.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const local = path.join(__dirname, '..', 'node_modules', 'node', 'bin', 'node');
  if (!fs.existsSync(local)) {
    console.error(
      `aks-day2 needs Node.js >= 22 (this is ${process.version}); run 'npm ci' to install it locally.`,
    );
    process.exit(1);
  }
  const r = spawnSync(local, [__filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status === null ? 1 : r.status);
}
require('tsx/cjs');
require('../shared/cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err) => {
    console.error(err instanceof Error ? err.stack || err.message : err);
    process.exitCode = 1;
  });
