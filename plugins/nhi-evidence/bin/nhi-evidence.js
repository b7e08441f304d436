#!/usr/bin/env node
/*
 * nhi-evidence verify <package.zip>: the built CLI when there is one (dist/, as published),
 * otherwise the TypeScript source, compiled as it loads by sucrase (in this repository).
 */
const fs = require('fs');
const path = require('path');

const dist = ['cli.cjs.js', 'cli.js']
  .map(name => path.join(__dirname, '..', 'dist', name))
  .find(file => fs.existsSync(file));
let cli;
if (dist) {
  cli = require(dist);
} else {
  require('sucrase/register/ts');
  cli = require('../src/cli.ts');
}

cli.runCli(process.argv.slice(2)).then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.stderr.write(
      `nhi-evidence: ${error && error.stack ? error.stack : error}\n`,
    );
    process.exitCode = 2;
  },
);
