import { StringLeaf, collectStrings, leafPath } from './collectStrings';
import {
  DEFAULT_IDENTIFIER_FIELDS,
  SECRET_VALUE_RULES,
  SecretValueRule,
} from './secretRules';
import { DetectSecretMaterialOptions, SecretMaterialFinding } from './types';

// Any of the rules, tried first: most values match none, and one pass is cheaper than twenty.
// Case-insensitive, so it matches at least what each rule matches; each rule then decides.
const ANY_SECRET_VALUE = new RegExp(
  SECRET_VALUE_RULES.map(rule => `(?:${rule.pattern.source})`).join('|'),
  'i',
);
// Shorter than the shortest pattern (`a://:b@`) cannot match.
const SHORTEST_SECRET_VALUE = 7;

/** The rules a leaf's text matches, once per kind. */
export function matchingRules(
  leaf: StringLeaf,
  identifierFields: readonly string[],
): SecretValueRule[] {
  const text = leaf.text;
  if (text.length < SHORTEST_SECRET_VALUE || !ANY_SECRET_VALUE.test(text))
    return [];
  const matched = SECRET_VALUE_RULES.filter(
    rule =>
      rule.pattern.test(text) &&
      !(rule.identifier && leaf.field && identifierFields.includes(leaf.field)),
  );
  return matched.filter(
    (rule, i) => matched.findIndex(r => r.kind === rule.kind) === i,
  );
}

/**
 * Walks any JSON-like value and lists each field or value that looks like secret material, with
 * this package's own rules only, synchronously. {@link scanSecretMaterial} adds secretlint's
 * maintained ruleset and is what every door of the backend uses; this one serves the catalog
 * validator and the frontend, which cannot wait.
 */
export function detectSecretMaterial(
  value: unknown,
  basePath = '',
  options: DetectSecretMaterialOptions = {},
): SecretMaterialFinding[] {
  const identifierFields =
    options.identifierFields ?? DEFAULT_IDENTIFIER_FIELDS;
  const { leaves, fieldFindings } = collectStrings(
    value,
    basePath,
    options.checkFieldNames ?? true,
  );
  const findings: SecretMaterialFinding[] = [];
  for (const leaf of leaves) {
    for (const rule of matchingRules(leaf, identifierFields)) {
      findings.push({
        path: leafPath(basePath, leaf),
        reason: leaf.isFieldName
          ? `has a field name that looks like ${rule.kind}`
          : `looks like ${rule.kind}`,
        rule: rule.id,
      });
    }
  }
  return [...fieldFindings, ...findings];
}
