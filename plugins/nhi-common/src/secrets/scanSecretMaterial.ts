import { lintSource } from '@secretlint/core';
import { rules as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import type {
  SecretLintCoreConfig,
  SecretLintRuleCreator,
} from '@secretlint/types';
import { StringLeaf, collectStrings, leafPath } from './collectStrings';
import { DEFAULT_IDENTIFIER_FIELDS, SECRET_VALUE_RULES } from './secretRules';
import {
  DetectSecretMaterialOptions,
  SCAN_FAILED_RULE,
  SecretMaterialFinding,
} from './types';

const OUR_RULE_ID = '@nhi-governance/secret-value-rules';

const ourMessages = Object.fromEntries(
  SECRET_VALUE_RULES.map(rule => [rule.id, { en: () => rule.kind }]),
);

// Our rules as one secretlint rule. Each message's id is our rule's id, so a finding can name it.
const ourRules: SecretLintRuleCreator = {
  messages: ourMessages,
  meta: {
    id: OUR_RULE_ID,
    type: 'scanner',
    recommended: true,
    supportedContentTypes: ['text'],
  },
  create(context) {
    const t = context.createTranslator(ourMessages);
    const patterns = SECRET_VALUE_RULES.map(
      rule =>
        [
          rule,
          new RegExp(rule.pattern.source, `${rule.pattern.flags}g`),
        ] as const,
    );
    return {
      file(source) {
        for (const [rule, pattern] of patterns) {
          for (const match of source.content.matchAll(pattern)) {
            context.report({
              message: t(rule.id),
              range: [match.index, match.index + match[0].length],
            });
          }
        }
      },
    };
  },
};

// What each secretlint rule finds, for messages; an unknown rule (a newer preset) still reports.
const SECRETLINT_KINDS: Record<string, string> = {
  aws: 'an AWS secret access key',
  gcp: 'a Google Cloud service account key',
  npm: 'an npm token',
  slack: 'a Slack token or webhook URL',
  basicauth: 'a URL with an embedded password',
  openai: 'an OpenAI API key',
  anthropic: 'an Anthropic API key',
  groq: 'a Groq API key',
  huggingface: 'a Hugging Face token',
  linear: 'a Linear API key',
  notion: 'a Notion token',
  privatekey: 'a private key',
  sendgrid: 'a SendGrid API key',
  shopify: 'a Shopify token',
  stripe: 'a Stripe secret key',
  github: 'a GitHub token',
  gitlab: 'a GitLab token',
  grafana: 'a Grafana token',
  '1password': 'a 1Password service account token',
  'database-connection-string': 'a database connection string with a password',
  'hashicorp-vault': 'a HashiCorp Vault token',
  vercel: 'a Vercel token',
  databricks: 'a Databricks token',
  docker: 'a Docker access token',
  figma: 'a Figma token',
  cloudflare: 'a Cloudflare token',
  tailscale: 'a Tailscale key',
};

function kindOf(ruleId: string, messageId: string | undefined): string {
  if (ruleId === OUR_RULE_ID) {
    return (
      SECRET_VALUE_RULES.find(rule => rule.id === messageId)?.kind ?? 'a secret'
    );
  }
  const short = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  return SECRETLINT_KINDS[short] ?? `a secret (${short})`;
}

// Not the comment filter: text people send must not switch the scan off with
// `secretlint-disable`.
const secretlintRules = recommendedRules
  .filter(
    rule => rule.meta.id !== '@secretlint/secretlint-rule-filter-comments',
  )
  .map(rule => ({ id: rule.meta.id, rule }));

const CONFIGS: Record<'all' | 'secretlint', SecretLintCoreConfig> = {
  all: { rules: [...secretlintRules, { id: OUR_RULE_ID, rule: ourRules }] },
  // secretlint's preset alone, to measure what our rules add (bench/secretRecall.ts).
  secretlint: { rules: secretlintRules },
};

// Between two strings: a line break (no rule reads across lines as one value) and a NUL, which
// no rule's `\s*` crosses. Anything that still spans it is reported on every string it touches.
const SEPARATOR = '\n\u0000\n';

/** One match in a text: the rule, its kind, and where it is. */
export interface SecretTextMatch {
  /** The secretlint rule id, or ours (`nhi/…`). */
  rule: string;
  kind: string;
  range: readonly [number, number];
}

/**
 * Runs secretlint's recommended ruleset and our rules over one text. Messages are read for their
 * rule and range only: their text and data contain the secret.
 */
export async function scanSecretText(
  text: string,
  ruleSet: 'all' | 'secretlint' = 'all',
): Promise<SecretTextMatch[]> {
  const result = await lintSource({
    source: { content: text, filePath: 'value.txt', contentType: 'text' },
    options: {
      config: CONFIGS[ruleSet],
      maskSecrets: true,
      noPhysicFilePath: true,
    },
  });
  return result.messages.map(message => ({
    rule:
      message.ruleId === OUR_RULE_ID
        ? message.messageId ?? OUR_RULE_ID
        : message.ruleId,
    kind: kindOf(message.ruleId, message.messageId),
    range: message.range,
  }));
}

/**
 * How much text one secretlint run reads. secretlint drops duplicate messages by comparing each
 * with every later one, which is quadratic in the matches: 1 MB of `AKIA…` ids (47,000
 * matches) took 39 s in one run. Runs over at most this many characters keep the whole scan
 * linear. A longer string is read in windows that overlap by {@link WINDOW_OVERLAP}, more than
 * the longest secret a rule reads whole (a signed JWT, an AWS key pair a few lines apart).
 */
export const SCAN_WINDOW = 32 * 1024;
const WINDOW_OVERLAP = 8 * 1024;

interface Piece {
  leaf: number;
  text: string;
}

// Each leaf whole, or in overlapping windows when it is longer than one run reads.
function piecesOf(leaves: StringLeaf[]): Piece[] {
  const pieces: Piece[] = [];
  leaves.forEach((leaf, index) => {
    if (leaf.text.length <= SCAN_WINDOW) {
      pieces.push({ leaf: index, text: leaf.text });
      return;
    }
    for (let at = 0; ; at += SCAN_WINDOW - WINDOW_OVERLAP) {
      pieces.push({ leaf: index, text: leaf.text.slice(at, at + SCAN_WINDOW) });
      if (at + SCAN_WINDOW >= leaf.text.length) break;
    }
  });
  return pieces;
}

// Consecutive pieces, up to one window of text per run.
function runsOf(pieces: Piece[]): Piece[][] {
  const runs: Piece[][] = [];
  let run: Piece[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (run.length > 0 && length + piece.text.length > SCAN_WINDOW) {
      runs.push(run);
      run = [];
      length = 0;
    }
    run.push(piece);
    length += piece.text.length + SEPARATOR.length;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

// The first leaf whose text starts at or before `offset`.
function leafAt(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * Finds secret material anywhere in a JSON-like value: secretlint's maintained recommended
 * ruleset plus our own rules on every string (values, array items and field names), and, when
 * `checkFieldNames`, fields whose name says they hold a secret. The strings are scanned once,
 * joined into texts of at most {@link SCAN_WINDOW} characters (so the cost stays linear in the
 * input), and each match is mapped back to the path of the string it is in. Findings
 * name the path and the kind, never the secret. If the scan itself fails, the value is reported
 * as unscannable rather than let through.
 */
export async function scanSecretMaterial(
  value: unknown,
  basePath = '',
  options: DetectSecretMaterialOptions = {},
): Promise<SecretMaterialFinding[]> {
  const identifierFields =
    options.identifierFields ?? DEFAULT_IDENTIFIER_FIELDS;
  const { leaves, fieldFindings } = collectStrings(
    value,
    basePath,
    options.checkFieldNames ?? true,
  );
  if (leaves.length === 0) return fieldFindings;
  // Each match, by the leaf it is in (a match spanning a separator, by every leaf it touches).
  const matches: Array<{ leaf: number; match: SecretTextMatch }> = [];
  try {
    for (const run of runsOf(piecesOf(leaves))) {
      const starts: number[] = [];
      let length = 0;
      for (const piece of run) {
        starts.push(length);
        length += piece.text.length + SEPARATOR.length;
      }
      const found = await scanSecretText(
        run.map(piece => piece.text).join(SEPARATOR),
      );
      for (const match of found) {
        const [start, end] = match.range;
        for (
          let i = leafAt(starts, start);
          i < run.length && starts[i] < Math.max(end, start + 1);
          i++
        ) {
          matches.push({ leaf: run[i].leaf, match });
        }
      }
    }
  } catch {
    return [
      ...fieldFindings,
      {
        path: basePath || '(the whole value)',
        reason: 'could not be scanned for secret material',
        rule: SCAN_FAILED_RULE,
      },
    ];
  }
  const identifierRules = new Set(
    SECRET_VALUE_RULES.filter(rule => rule.identifier).map(rule => rule.id),
  );
  const found: Array<{ leaf: number; finding: SecretMaterialFinding }> = [];
  const seen = new Set<string>();
  const report = (index: number, leaf: StringLeaf, match: SecretTextMatch) => {
    if (
      identifierRules.has(match.rule) &&
      leaf.field &&
      identifierFields.includes(leaf.field)
    )
      return;
    const path = leafPath(basePath, leaf);
    const reason = leaf.isFieldName
      ? `has a field name that looks like ${match.kind}`
      : `looks like ${match.kind}`;
    const key = `${path}\u0000${reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ leaf: index, finding: { path, reason, rule: match.rule } });
  };
  for (const { leaf, match } of matches) report(leaf, leaves[leaf], match);
  found.sort((a, b) => a.leaf - b.leaf);
  return [...fieldFindings, ...found.map(f => f.finding)];
}
