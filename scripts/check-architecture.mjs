#!/usr/bin/env node
/*
 * The architecture guard of issue 16. Plain Node (22+), no build: it parses the sources with
 * the TypeScript compiler API that the repository already installs.
 *
 *   node scripts/check-architecture.mjs            exits 1 on any violation, naming file, rule and reason
 *   node scripts/check-architecture.mjs --report   prints the same, with the size figures, and exits 0
 *   --root DIR                                     checks another tree laid out the same way
 *
 * Rules (see docs in the issue):
 *   R1 knex      nhi-backend/src: only stores (a `/store/` segment), src/database/, migrations,
 *                src/wiring/createStores.ts (the composition root's one file that hands the
 *                plugin's database client to the stores), tests and __testUtils__ import `knex`
 *                (value or type, static or `import()`).
 *   R2 store     nhi-backend/src: a file of feature X (a top-level folder of src) imports no
 *                module under src/<Y>/store/ for Y != X. Tests and __testUtils__ may, and so
 *                may src/database/ (the NhiStores unit of work that assembles every store) and
 *                src/wiring/ (the composition root, which builds every store and service).
 *   R3 cycles    every package (plugins/*, packages/*): no cycle between files (type-only
 *                imports included: they tie the files as much for a reader), and none between
 *                the top-level folders of src (type-only imports, tests and test utilities left
 *                out, as dependency-cruiser's `no-circular` with `dependencyTypesNot: ['type-only']`;
 *                a file directly in src is a node of its own); and none between the workspace
 *                packages (dependencies and peerDependencies of their package.json).
 *   R4 size      hand-written source (.ts/.tsx under plugins/STAR/src and packages/STAR/src, not tests,
 *                __testUtils__, __fixtures__, __mocks__, generated folders or .d.ts) has at most
 *                300 lines a file and 80 lines a function (declaration, method, accessor,
 *                constructor, or a function or arrow assigned to a name or property, also
 *                through a wrapper call such as memo(...)).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const rootArg = process.argv.indexOf('--root');
/** The repository; --root DIR checks another tree of the same layout (the guard's own test). */
const ROOT =
  rootArg > 0
    ? path.resolve(process.argv[rootArg + 1])
    : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BACKEND_SRC = 'plugins/nhi-backend/src';
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 80;
const SOURCE = /\.tsx?$/;
const TEST = /\.test\.tsx?$/;
const TEST_DIRS = ['__testUtils__', '__fixtures__', '__mocks__'];
const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

const report = process.argv.includes('--report');

const rel = file => path.relative(ROOT, file).split(path.sep).join('/');
const segments = file => rel(file).split('/');
const isTest = file =>
  TEST.test(file) || segments(file).some(s => TEST_DIRS.includes(s));
const isGenerated = file =>
  segments(file).includes('generated') || file.endsWith('.d.ts');

/** The packages: each folder of plugins/ and packages/ with a src/. */
function packageSources() {
  const out = [];
  for (const group of ['plugins', 'packages']) {
    const dir = path.join(ROOT, group);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const src = path.join(dir, name, 'src');
      if (fs.existsSync(src)) out.push({ name: `${group}/${name}`, src });
    }
  }
  return out;
}

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (SOURCE.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** Whether an import or export declaration brings in types only. */
function isTypeOnly(node) {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return false; // import 'x': a side effect
    if (clause.isTypeOnly) return true;
    if (clause.name) return false;
    const bindings = clause.namedBindings;
    return (
      !!bindings &&
      ts.isNamedImports(bindings) &&
      bindings.elements.length > 0 &&
      bindings.elements.every(e => e.isTypeOnly)
    );
  }
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly) return true;
    const clause = node.exportClause;
    return (
      !!clause &&
      ts.isNamedExports(clause) &&
      clause.elements.length > 0 &&
      clause.elements.every(e => e.isTypeOnly)
    );
  }
  return false;
}

/** Every module a file names: imports, re-exports, import() types and calls, require(). */
function importsOf(sourceFile) {
  const found = [];
  const visit = node => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({
        specifier: node.moduleSpecifier.text,
        typeOnly: isTypeOnly(node),
      });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) &&
          node.expression.text === 'require')) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function resolveRelative(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  for (const suffix of RESOLVE_SUFFIXES) {
    const candidate = base + suffix;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      return candidate;
    }
  }
  return undefined;
}

const lineOf = (sourceFile, pos) =>
  sourceFile.getLineAndCharacterOfPosition(pos).line + 1;

/** The name a function node goes by, or undefined for an anonymous callback. */
function functionName(node) {
  if (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  ) {
    return node.name ? node.name.getText() : 'default';
  }
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (!ts.isArrowFunction(node) && !ts.isFunctionExpression(node)) {
    return undefined;
  }
  let holder = node.parent;
  // const X = memo(() => ...), forwardRef(function X() ...): the wrapper's name is the function's.
  while (holder && ts.isCallExpression(holder)) holder = holder.parent;
  while (holder && ts.isParenthesizedExpression(holder)) holder = holder.parent;
  if (
    holder &&
    (ts.isVariableDeclaration(holder) ||
      ts.isPropertyAssignment(holder) ||
      ts.isPropertyDeclaration(holder)) &&
    holder.name
  ) {
    return holder.name.getText();
  }
  if (ts.isFunctionExpression(node) && node.name) return node.name.text;
  return undefined;
}

/** The named functions of a file with their lengths in lines. */
function functionsOf(sourceFile) {
  const out = [];
  const visit = node => {
    const name = functionName(node);
    if (name !== undefined && node.body) {
      const start = lineOf(sourceFile, node.getStart(sourceFile));
      const end = lineOf(sourceFile, node.end);
      out.push({ name, line: start, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return out;
}

/** Tarjan's strongly connected components: each component of more than one node is a cycle. */
function cyclesOf(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const strongConnect = start => {
    // Iterative, so that a long import chain cannot overflow the stack.
    const work = [{ node: start, edges: [...(graph.get(start) ?? [])], i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      if (frame.i < frame.edges.length) {
        const to = frame.edges[frame.i++];
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edges: [...(graph.get(to) ?? [])], i: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node), index.get(to)));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent), low.get(frame.node)));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component = [];
        let member;
        do {
          member = stack.pop();
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1) cycles.push(component.sort());
      }
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) strongConnect(node);
  return cycles;
}

const addEdge = (graph, from, to) => {
  if (!graph.has(from)) graph.set(from, new Set());
  graph.get(from).add(to);
};

/** Reads one package: its files' imports, and its functions and sizes. */
function readPackage(pkg) {
  return walk(pkg.src).map(file => {
    const text = fs.readFileSync(file, 'utf8');
    const sourceFile = ts.createSourceFile(
      file,
      text,
      ts.ScriptTarget.Latest,
      true,
      file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    const imports = importsOf(sourceFile).map(i => ({
      ...i,
      resolved: resolveRelative(file, i.specifier),
    }));
    const lines = text.endsWith('\n')
      ? text.split('\n').length - 1
      : text.split('\n').length;
    return { file, lines, imports, functions: functionsOf(sourceFile) };
  });
}

/** The top-level entry of src a file belongs to: its folder, or the file itself. */
const topOf = (src, file) => path.relative(src, file).split(path.sep)[0];

function checkBackendFolders(files, violations) {
  const src = path.join(ROOT, BACKEND_SRC);
  for (const { file, imports } of files) {
    const parts = path.relative(src, file).split(path.sep);
    const test = isTest(file);
    const knexAllowed =
      test ||
      parts.includes('store') ||
      parts[0] === 'database' ||
      (parts[0] === 'wiring' && parts[1] === 'createStores.ts') ||
      parts.includes('migrations') ||
      /^migrations?\.ts$/.test(parts[parts.length - 1]);
    // src/database/ (the plumbing of the unit of work) and src/wiring/ (the composition root
    // that builds every store) are not features: they may name every store.
    const feature =
      parts.length > 1 && !['database', 'wiring'].includes(parts[0])
        ? parts[0]
        : undefined;
    for (const { specifier, resolved } of imports) {
      if (
        !knexAllowed &&
        (specifier === 'knex' || specifier.startsWith('knex/'))
      ) {
        violations.push({
          file: rel(file),
          rule: 'R1 knex',
          reason: `imports '${specifier}' outside a store/, src/database/, wiring/createStores.ts or a migration`,
        });
      }
      if (!resolved || test || !feature) continue;
      const target = path.relative(src, resolved).split(path.sep);
      const storeAt = target.indexOf('store');
      if (storeAt > 0 && target[0] !== feature) {
        violations.push({
          file: rel(file),
          rule: 'R2 store',
          reason: `feature ${feature} imports ${target[0]}'s store (${rel(
            resolved,
          )})`,
        });
      }
    }
  }
}

function checkCycles(pkg, files, violations) {
  const fileGraph = new Map();
  const folderGraph = new Map();
  for (const { file, imports } of files) {
    fileGraph.set(file, fileGraph.get(file) ?? new Set());
    for (const { resolved, typeOnly } of imports) {
      if (!resolved) continue;
      addEdge(fileGraph, file, resolved);
      if (typeOnly || isTest(file) || isTest(resolved)) continue;
      const from = topOf(pkg.src, file);
      const to = topOf(pkg.src, resolved);
      if (from !== to) addEdge(folderGraph, from, to);
    }
  }
  for (const cycle of cyclesOf(fileGraph)) {
    violations.push({
      file: rel(cycle[0]),
      rule: 'R3 file cycle',
      reason: `${cycle.length} files import each other in a cycle: ${cycle
        .map(f => path.relative(pkg.src, f))
        .join(', ')}`,
    });
  }
  for (const cycle of cyclesOf(folderGraph)) {
    violations.push({
      file: `${pkg.name}/src`,
      rule: 'R3 folder cycle',
      reason: `top-level folders import each other in a cycle: ${cycle.join(
        ', ',
      )}`,
    });
  }
}

function checkSizes(files, violations, figures) {
  for (const { file, lines, functions } of files) {
    if (isTest(file) || isGenerated(file)) continue;
    figures.files++;
    figures.lines += lines;
    if (!figures.largestFile || lines > figures.largestFile.lines) {
      figures.largestFile = { file: rel(file), lines };
    }
    if (lines > MAX_FILE_LINES) {
      figures.filesOver++;
      violations.push({
        file: rel(file),
        rule: 'R4 file size',
        reason: `${lines} lines (at most ${MAX_FILE_LINES})`,
        lines,
      });
    }
    for (const fn of functions) {
      figures.functions++;
      if (
        !figures.largestFunction ||
        fn.lines > figures.largestFunction.lines
      ) {
        figures.largestFunction = { file: rel(file), ...fn };
      }
      if (fn.lines > MAX_FUNCTION_LINES) {
        figures.functionsOver++;
        violations.push({
          file: `${rel(file)}:${fn.line}`,
          rule: 'R4 function size',
          reason: `${fn.name} has ${fn.lines} lines (at most ${MAX_FUNCTION_LINES})`,
          lines: fn.lines,
        });
      }
    }
  }
}

function printTable(violations) {
  const rows = [
    ['rule', 'file', 'reason'],
    ...violations.map(v => [v.rule, v.file, v.reason]),
  ];
  const width = [0, 1].map(c => Math.max(...rows.map(r => r[c].length)));
  for (const r of rows) {
    console.log(`${r[0].padEnd(width[0])}  ${r[1].padEnd(width[1])}  ${r[2]}`);
  }
}

/**
 * Packages must not depend on each other in a cycle: the runtime and peer dependencies of each
 * package.json on the other workspace packages (dev dependencies left out: a test may use a
 * package that uses it).
 */
function checkPackageCycles(packages, violations) {
  const byName = new Map();
  const manifests = [];
  for (const pkg of packages) {
    const file = path.join(path.dirname(pkg.src), 'package.json');
    if (!fs.existsSync(file)) continue;
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    byName.set(json.name, pkg.name);
    manifests.push({ pkg, json });
  }
  const graph = new Map();
  for (const { pkg, json } of manifests) {
    graph.set(pkg.name, graph.get(pkg.name) ?? new Set());
    const deps = { ...json.dependencies, ...json.peerDependencies };
    for (const dep of Object.keys(deps)) {
      if (byName.has(dep)) addEdge(graph, pkg.name, byName.get(dep));
    }
  }
  for (const cycle of cyclesOf(graph)) {
    violations.push({
      file: `${cycle[0]}/package.json`,
      rule: 'R3 package cycle',
      reason: `packages depend on each other in a cycle: ${cycle.join(', ')}`,
    });
  }
}

function main() {
  const violations = [];
  const figures = {
    files: 0,
    lines: 0,
    filesOver: 0,
    functions: 0,
    functionsOver: 0,
    largestFile: undefined,
    largestFunction: undefined,
  };
  const packages = packageSources();
  checkPackageCycles(packages, violations);
  for (const pkg of packages) {
    const files = readPackage(pkg);
    if (pkg.name === path.dirname(BACKEND_SRC)) {
      checkBackendFolders(files, violations);
    }
    checkCycles(pkg, files, violations);
    checkSizes(files, violations, figures);
  }
  const order = ['R1', 'R2', 'R3', 'R4'];
  violations.sort(
    (a, b) =>
      order.indexOf(a.rule.slice(0, 2)) - order.indexOf(b.rule.slice(0, 2)) ||
      (b.lines ?? 0) - (a.lines ?? 0) ||
      a.file.localeCompare(b.file),
  );
  if (violations.length) printTable(violations);

  const count = prefix =>
    violations.filter(v => v.rule.startsWith(prefix)).length;
  const lf = figures.largestFile;
  const lfn = figures.largestFunction;
  console.log(`
Architecture figures (${figures.files} hand-written source files, ${
    figures.lines
  } lines, ${figures.functions} named functions)
  R1 knex outside stores:          ${count('R1')}
  R2 imports of another's store:   ${count('R2')}
  R3 file cycles:                  ${count('R3 file')}
  R3 folder cycles:                ${count('R3 folder')}
  R3 package cycles:               ${count('R3 package')}
  R4 files over ${MAX_FILE_LINES} lines:        ${figures.filesOver}
  R4 functions over ${MAX_FUNCTION_LINES} lines:     ${figures.functionsOver}
  largest file:                    ${
    lf ? `${lf.file} (${lf.lines} lines)` : '-'
  }
  largest function:                ${
    lfn ? `${lfn.name} in ${lfn.file}:${lfn.line} (${lfn.lines} lines)` : '-'
  }`);
  if (violations.length && !report) {
    console.error(
      `\n${violations.length} architecture violations (run with --report to print the figures without failing)`,
    );
    process.exitCode = 1;
  }
}

main();
