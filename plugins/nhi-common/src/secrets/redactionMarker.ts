import { collectStrings, leafPath } from './collectStrings';
import { SecretMaterialFinding } from './types';

/** The rule a redaction marker is reported under. */
export const REDACTED_SECRET_RULE = 'nhi/redacted-secret';

const MARKER = /^\[redacted: (.+)\]$/s;

/**
 * What stands where secret material was, once it has been taken out: the reason it was taken
 * (`[redacted: looks like a GitHub token]`), never the secret. The catalog's parser writes it
 * before the catalog stores anything, so that a refused declaration keeps its field names but
 * not its secrets.
 */
export function redactionMarker(reason: string): string {
  return `[redacted: ${reason}]`;
}

/** Whether a value is a marker {@link redactionMarker} wrote. */
export function isRedactionMarker(value: unknown): value is string {
  return typeof value === 'string' && MARKER.test(value);
}

/**
 * Every redaction marker in a JSON-like value, as a finding with the reason the marker keeps, so
 * that a value whose secret was redacted is refused exactly as the secret itself would have been.
 * A marker in a field's name reports the object that holds the field (as a secret in a field's
 * name is reported).
 */
export function findRedactionMarkers(
  value: unknown,
  basePath = '',
): SecretMaterialFinding[] {
  const { leaves } = collectStrings(value, basePath, false);
  return leaves.flatMap(leaf => {
    const match = MARKER.exec(leaf.text);
    return match
      ? [
          {
            path: leafPath(basePath, leaf),
            reason: match[1],
            rule: REDACTED_SECRET_RULE,
          },
        ]
      : [];
  });
}
