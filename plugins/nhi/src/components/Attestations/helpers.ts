import { ResponseError } from '@backstage/errors';
import {
  EXCEPTABLE_FINDINGS,
  ExceptableFinding,
  Finding,
  FindingCode,
  ReviewDecisionKind,
  ReviewItem,
  ReviewSnapshot,
  isSeriousFinding,
  builtInFindingDefinition,
} from '@nhi-governance/plugin-nhi-common';

export const DASH = '—';

/** `2026-10-31` from an ISO time. */
export const day = (iso?: string) => (iso ? iso.slice(0, 10) : DASH);

/** Still to decide and past its due date. */
export function isOverdue(item: ReviewItem, now = new Date()) {
  return item.state !== 'decided' && Date.parse(item.dueAt) < now.getTime();
}

/** The button label of each decision. */
export const DECISION_LABELS: Record<ReviewDecisionKind, string> = {
  certify: 'Certify',
  'reduce-scope': 'Reduce scope',
  revoke: 'Revoke',
  reassign: 'Reassign',
  escalate: 'Escalate',
};

/** What each decision does, said before the reviewer confirms it. */
export const DECISION_MEANINGS: Record<ReviewDecisionKind, string> = {
  certify:
    'You confirm that the identity is still needed, that its owner, purpose and scopes below are right, and that you accept its open findings.',
  'reduce-scope':
    'The scopes you pick are to be removed: a remediation is opened and stays open until the change is seen.',
  revoke:
    'The credential is to be revoked: a remediation is opened and stays open until the revocation is seen.',
  reassign:
    'The identity is handed to another group, which must accept it before it becomes theirs to review.',
  escalate: 'The identity goes to security, who decide on it instead.',
};

/** The snapshot's findings a certification must acknowledge one by one. */
export function seriousFindings(snapshot: ReviewSnapshot) {
  return snapshot.findings.filter(isSeriousFinding);
}

/** A snapshot finding in the shape the shared finding chips take. */
export function toFinding(f: ReviewSnapshot['findings'][number]): Finding {
  const definition = builtInFindingDefinition(f.code);
  return {
    code: f.code,
    severity: f.severity,
    title: f.title,
    explanation: definition?.why ?? f.title,
    remediation: definition?.remediation ?? '',
    evidence: {},
    controls: definition?.controls ?? { soc2: [], nistCsf: [], owaspNhi: [] },
  };
}

export function isExceptable(code: FindingCode): code is ExceptableFinding {
  return (EXCEPTABLE_FINDINGS as readonly string[]).includes(code);
}

/** The name part of an entity ref: `payments-db-writer` for `machineidentity:default/payments-db-writer`. */
export function shortRef(ref: string) {
  return ref.replace(/^[^:]+:/, '').replace(/^default\//, '');
}

/** Entity refs compare without regard to case. */
export const sameRef = (a?: string, b?: string) =>
  !!a && !!b && a.toLocaleLowerCase('en-US') === b.toLocaleLowerCase('en-US');

/** What the server said, for a ResponseError; the error's own message otherwise. */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error)) {
    return error.body?.error?.message || error.cause?.message || error.message;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The caller is not a signed-in person (401) or may not use the route (403). */
export function isAccessError(error: unknown) {
  const status = ResponseError.is(error)
    ? error.statusCode
    : (error as { statusCode?: number } | undefined)?.statusCode;
  return status === 401 || status === 403;
}
