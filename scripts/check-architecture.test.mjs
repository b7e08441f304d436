// The guard's own test: `node --test scripts/check-architecture.test.mjs`. A small tree with one
// violation of each rule, and code each rule lets pass, checked by the real script.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'check-architecture.mjs',
);

const FILES = {
  // Allowed: knex in a store and in shared plumbing; a test and test utilities using any store.
  'plugins/nhi-backend/src/reviews/store/ReviewStore.ts': `import type { Knex } from 'knex';\nexport const x = 1;\n`,
  'plugins/nhi-backend/src/database/plumbing.ts': `import { Knex } from 'knex';\nexport const y = 1;\n`,
  // Allowed: the unit of work in src/database/ assembles every feature's store.
  'plugins/nhi-backend/src/database/Stores.ts': `import type { x } from '../reviews/store/ReviewStore';\nexport type S = typeof x;\n`,
  // Allowed: the composition root builds every store, and its createStores hands them knex.
  'plugins/nhi-backend/src/wiring/createStores.ts': `import type { Knex } from 'knex';\nimport { x } from '../reviews/store/ReviewStore';\nexport const s = (db: Knex) => x;\n`,
  // R1: the rest of wiring/ builds services, which never see knex.
  'plugins/nhi-backend/src/wiring/createServices.ts': `import type { Knex } from 'knex';\nexport type D = Knex;\n`,
  'plugins/nhi-backend/src/__testUtils__/fixtures.ts': `import { x } from '../reviews/store/ReviewStore';\nexport const w = x;\n`,
  'plugins/nhi-backend/src/identities/IdentityService.test.ts': `import knex from 'knex';\nimport { x } from '../reviews/store/ReviewStore';\nit('', () => x);\n`,
  // R1 (a type given by import()) and R2.
  'plugins/nhi-backend/src/identities/IdentityService.ts': `import { x } from '../reviews/store/ReviewStore';\nexport type K = import('knex').Knex;\nexport const z = x;\n`,
  // R3: two files, and two folders through different files; a type-only import makes no folder cycle.
  'plugins/nhi-backend/src/status/a.ts': `import { a } from './b';\nexport const c = a;\n`,
  'plugins/nhi-backend/src/status/b.ts': `import { c } from './a';\nexport const a = 1;\nexport const d = c;\n`,
  'plugins/other/src/a/one.ts': `import { b } from '../b/one';\nexport const k = b;\n`,
  'plugins/other/src/b/one.ts': `import { a } from '../a/two';\nexport const b = a;\n`,
  'plugins/other/src/a/two.ts': `export const a = 3;\n`,
  'plugins/types/src/a/one.ts': `import type { B } from '../b/one';\nexport type A = B;\n`,
  'plugins/types/src/b/one.ts': `import { a } from '../a/two';\nexport type B = typeof a;\n`,
  'plugins/types/src/a/two.ts': `export const a = 3;\n`,
  // R3 between packages: runtime dependencies both ways; a dev dependency back is no cycle.
  'plugins/other/package.json': JSON.stringify({
    name: 'other',
    dependencies: { types: '*' },
  }),
  'plugins/types/package.json': JSON.stringify({
    name: 'types',
    dependencies: { other: '*' },
  }),
  'plugins/nhi-backend/package.json': JSON.stringify({
    name: 'backend',
    dependencies: { other: '*' },
    devDependencies: { tests: '*' },
  }),
  'plugins/nhi-backend-tests/src/x.ts': 'export const x = 1;\n',
  'plugins/nhi-backend-tests/package.json': JSON.stringify({
    name: 'tests',
    dependencies: { backend: '*' },
  }),
  // R4: a long file with a long function; generated code is not counted.
  'plugins/nhi-backend/src/discovery/big.ts': `export const big = () => {\n${'  f();\n'.repeat(
    85,
  )}};\n${'// pad\n'.repeat(250)}`,
  'plugins/nhi-backend/src/discovery/generated/client.ts':
    'export const f = 1;\n'.repeat(400),
};

function run(root, ...args) {
  try {
    return {
      code: 0,
      out: execFileSync('node', [SCRIPT, '--root', root, ...args], {
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    };
  } catch (error) {
    return { code: error.status, out: `${error.stdout}${error.stderr}` };
  }
}

test('names each violation with its file and rule, and fails', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'check-architecture-'));
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  const { code, out } = run(root);
  assert.equal(code, 1);
  const rows = out.split('\n').filter(l => /^R\d/.test(l));
  const has = (rule, file) =>
    rows.some(r => r.startsWith(rule) && r.includes(file));
  assert.ok(has('R1 knex', 'identities/IdentityService.ts'), out);
  assert.ok(has('R1 knex', 'wiring/createServices.ts'), out);
  assert.ok(has('R2 store', 'identities/IdentityService.ts'), out);
  assert.ok(has('R3 file cycle', 'status/a.ts'), out);
  assert.ok(has('R3 folder cycle', 'plugins/other/src'), out);
  assert.ok(has('R3 package cycle', 'plugins/other/package.json'), out);
  assert.ok(has('R4 file size', 'discovery/big.ts'), out);
  assert.ok(has('R4 function size', 'discovery/big.ts:1'), out);
  assert.equal(rows.length, 8, out);
  assert.match(out, /largest function: +big in .*\(87 lines\)/);

  const report = run(root, '--report');
  assert.equal(report.code, 0);
  assert.match(report.out, /R4 functions over 80 lines: +1/);
  fs.rmSync(root, { recursive: true });
});
