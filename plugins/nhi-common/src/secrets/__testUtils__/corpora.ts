/**
 * The corpora the secret rules are measured on, read from ../__fixtures__ (see ORIGIN.md there):
 * the benchmark (bench/secretRecall.ts) prints the figures, the tests hold the floor.
 */
import { readFileSync, readdirSync, statSync } from 'fs';
import { join, resolve } from 'path';
import { parseAllDocuments } from 'yaml';

const here = resolve(__dirname, '../__fixtures__');

/** One test case of secretlint's recommended preset: its input and the ranges it must report. */
export interface SecretlintCase {
  rule: string;
  name: string;
  file: string;
  content: string;
  expected: Array<{ ruleId: string; range: [number, number] }>;
  /** The case sets rule options (an allow-list, the AWS id scan) that the product does not use. */
  hasOptions: boolean;
}

/** secretlint-rule-preset-recommend's own snapshot tests (see secretlint/ORIGIN.md). */
export function secretlintCases(): SecretlintCase[] {
  const root = join(here, 'secretlint');
  const cases: SecretlintCase[] = [];
  for (const rule of readdirSync(root).sort()) {
    if (!statSync(join(root, rule)).isDirectory()) continue;
    for (const name of readdirSync(join(root, rule)).sort()) {
      const dir = join(root, rule, name);
      const files = readdirSync(dir);
      const input = files.find(
        f => f !== 'output.json' && f !== '.secretlintrc.json',
      );
      if (!input || !files.includes('output.json')) continue;
      const output = JSON.parse(readFileSync(join(dir, 'output.json'), 'utf8'));
      cases.push({
        rule,
        name,
        file: input,
        content: readFileSync(join(dir, input), 'utf8'),
        expected: output.messages.map((m: any) => ({
          ruleId: m.ruleId,
          range: m.range,
        })),
        hasOptions: files.includes('.secretlintrc.json'),
      });
    }
  }
  return cases;
}

/** gitleaks's literal rule examples (see ORIGIN.md). */
export interface GitleaksRuleExamples {
  rule: string;
  file: string;
  truePositives: string[];
  falsePositives: string[];
}

export function gitleaksRuleExamples(): GitleaksRuleExamples[] {
  return JSON.parse(
    readFileSync(join(here, 'gitleaks-rule-examples.json'), 'utf8'),
  ).rules;
}

/** The ordinary justifications written for this corpus: one per line. */
export function justifications(): string[] {
  return readFileSync(join(here, 'justifications.txt'), 'utf8')
    .split('\n')
    .filter(line => line.trim() !== '');
}

export const EXAMPLES_DIR = resolve(__dirname, '../../../../../examples');

/** Every document of the example organisation's YAML files (examples/*.yaml), by file. */
export function exampleDocuments(dir = EXAMPLES_DIR): Array<{
  file: string;
  documents: unknown[];
}> {
  return readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .map(file => ({
      file,
      documents: parseAllDocuments(readFileSync(join(dir, file), 'utf8'))
        .map(d => d.toJS())
        .filter(d => d !== null),
    }));
}
