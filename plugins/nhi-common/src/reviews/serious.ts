import type { Severity } from '../findings/definitions';

/**
 * The severities a reviewer may not certify past in silence: each open finding of one of them
 * needs a written acknowledgement (or an exception that covers it). The backend enforces it,
 * the review dialog asks for it; both read it from here so they cannot disagree.
 */
export const SERIOUS_SEVERITIES: ReadonlySet<Severity> = new Set<Severity>([
  'high',
  'critical',
]);

/** Whether a severity, or a finding by its severity, is one a certification must acknowledge. */
export function isSeriousFinding(
  finding: Severity | { severity: Severity },
): boolean {
  const severity = typeof finding === 'string' ? finding : finding.severity;
  return SERIOUS_SEVERITIES.has(severity);
}
