/* eslint-disable no-console */
/**
 * Writes src/secrets/__fixtures__/gitleaks-rule-examples.json from a gitleaks checkout: the
 * literal true- and false-positive examples of every rule in cmd/generate/config/rules/*.go
 * (the ones gitleaks validates its own rules with). Examples built at run time by gitleaks's
 * generators (`secrets.NewSecret(...)`, string concatenation) are skipped: only literals kept.
 *
 *   sucrase-node bench/extractGitleaksExamples.ts <gitleaks checkout> <commit>
 */
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'word'; value: string }
  | { kind: 'punct'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (source.startsWith('//', i)) {
      i = source.indexOf('\n', i);
      if (i < 0) break;
    } else if (source.startsWith('/*', i)) {
      i = source.indexOf('*/', i) + 2;
    } else if (c === '`') {
      const end = source.indexOf('`', i + 1);
      tokens.push({ kind: 'string', value: source.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      while (source[j] !== '"') j += source[j] === '\\' ? 2 : 1;
      // Go's escapes in these files are JSON's (\" \\ \n \t \u....).
      tokens.push({
        kind: 'string',
        value: JSON.parse(source.slice(i, j + 1)),
      });
      i = j + 1;
    } else if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z0-9_.]/.test(c)) {
      let j = i;
      while (j < source.length && /[A-Za-z0-9_.]/.test(source[j])) j++;
      tokens.push({ kind: 'word', value: source.slice(i, j) });
      i = j;
    } else if (source.startsWith(':=', i)) {
      tokens.push({ kind: 'punct', value: ':=' });
      i += 2;
    } else {
      tokens.push({ kind: 'punct', value: c });
      i++;
    }
  }
  return tokens;
}

interface RuleExamples {
  rule: string;
  file: string;
  truePositives: string[];
  falsePositives: string[];
}

function examplesOf(file: string, source: string): RuleExamples[] {
  const tokens = tokenize(source);
  const byRule = new Map<string, RuleExamples>();
  let rule: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (
      t.kind === 'word' &&
      t.value === 'RuleID' &&
      tokens[i + 2]?.kind === 'string'
    ) {
      rule = tokens[i + 2].value;
    }
    const isBlock =
      t.kind === 'word' &&
      (t.value === 'tps' || t.value === 'fps') &&
      (tokens[i + 1]?.value === ':=' || tokens[i + 1]?.value === '=');
    if (!isBlock || !rule) continue;
    const list = t.value;
    let depth = 0;
    let j = i + 2;
    for (; j < tokens.length; j++) {
      const u = tokens[j];
      if (u.value === '{' || u.value === '(') depth++;
      else if (u.value === '}' || u.value === ')') {
        depth--;
        if (depth === 0) break;
      } else if (
        u.kind === 'string' &&
        depth === 1 &&
        ['{', '(', ','].includes(tokens[j - 1].value) &&
        [',', '}', ')'].includes(tokens[j + 1]?.value) &&
        // The first argument of the sample generators is a keyword, not an example.
        !/GenerateSampleSecrets?$/.test(tokens[j - 2]?.value ?? '')
      ) {
        const entry = byRule.get(rule) ?? {
          rule,
          file,
          truePositives: [],
          falsePositives: [],
        };
        (list === 'tps' ? entry.truePositives : entry.falsePositives).push(
          u.value,
        );
        byRule.set(rule, entry);
      }
    }
    i = j;
  }
  return [...byRule.values()];
}

const [checkout, commit] = process.argv.slice(2);
const dir = join(checkout, 'cmd/generate/config/rules');
const rules = readdirSync(dir)
  .filter(f => f.endsWith('.go') && !f.endsWith('_test.go'))
  .sort()
  .flatMap(f => examplesOf(f, readFileSync(join(dir, f), 'utf8')));
const out = resolve(
  __dirname,
  '../src/secrets/__fixtures__/gitleaks-rule-examples.json',
);
writeFileSync(
  out,
  `${JSON.stringify(
    {
      origin: `https://github.com/gitleaks/gitleaks/tree/${commit}/cmd/generate/config/rules (MIT licence): literal tps/fps of each rule`,
      rules,
    },
    null,
    1,
  )}\n`,
);
console.log(
  `${rules.length} rules, ${rules.reduce(
    (n, r) => n + r.truePositives.length,
    0,
  )} true positives, ${rules.reduce(
    (n, r) => n + r.falsePositives.length,
    0,
  )} false positives -> ${out}`,
);
