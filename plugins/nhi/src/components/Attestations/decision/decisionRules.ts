import type {
  FindingCode,
  ReviewDecisionKind,
  ReviewItem,
} from '@nhi-governance/plugin-nhi-common';
import type { DecisionInput } from '../../../api';
import { sameRef, seriousFindings, shortRef } from '../helpers';

const GROUP_REF = /^(group|user):([^/\s:]+\/)?[^/\s]+$/i;

/** `group:platform` becomes `group:default/platform`, as the server wants full refs. */
export function normalizeGroupRef(text: string) {
  const ref = text.trim();
  if (!GROUP_REF.test(ref)) return undefined;
  return ref.includes('/') ? ref : ref.replace(':', ':default/');
}

export interface SeriousCode {
  code: FindingCode;
  title: string;
  severity: string;
  /** How many of the items have it open. */
  count: number;
}

/** Each high or critical finding code open on any of the items, once. */
export function seriousCodes(items: ReviewItem[]): SeriousCode[] {
  const byCode = new Map<FindingCode, SeriousCode>();
  for (const item of items) {
    for (const f of seriousFindings(item.snapshot)) {
      const seen = byCode.get(f.code);
      if (seen) seen.count += 1;
      else byCode.set(f.code, { ...f, count: 1 });
    }
  }
  return [...byCode.values()];
}

/** What the person has filled in so far. */
export interface DecisionFormValues {
  justification: string;
  scopesToRemove: string[];
  reassignTo: string;
  acknowledgements: Partial<Record<FindingCode, string>>;
}

export const EMPTY_DECISION_FORM: DecisionFormValues = {
  justification: '',
  scopesToRemove: [],
  reassignTo: '',
  acknowledgements: {},
};

function scopeProblem(items: ReviewItem[], scopesToRemove: string[]) {
  if (!scopesToRemove.length) return 'Pick the scopes to remove.';
  const untouched = items.filter(
    i => !i.snapshot.scopes.some(s => scopesToRemove.includes(s)),
  );
  if (!untouched.length) return undefined;
  return `None of the picked scopes is held by ${untouched
    .map(i => shortRef(i.identity))
    .join(', ')}.`;
}

function reassignProblem(items: ReviewItem[], reassignTo: string) {
  const reassignRef = normalizeGroupRef(reassignTo);
  if (!reassignRef) {
    return 'Name the group to hand over to, e.g. group:default/platform.';
  }
  if (items.some(i => sameRef(i.assignee, reassignRef))) {
    return 'Reassign to another group than the current one.';
  }
  return undefined;
}

/** What still keeps the decision from being complete, as the server would refuse it; first things first. */
export function decisionProblems(
  decision: ReviewDecisionKind,
  items: ReviewItem[],
  serious: SeriousCode[],
  values: DecisionFormValues,
): string[] {
  const problems: (string | undefined)[] = [];
  if (!values.justification.trim()) {
    problems.push('A justification is required.');
  }
  if (decision === 'reduce-scope') {
    problems.push(scopeProblem(items, values.scopesToRemove));
  }
  if (decision === 'reassign') {
    problems.push(reassignProblem(items, values.reassignTo));
  }
  if (serious.some(s => !values.acknowledgements[s.code]?.trim())) {
    problems.push('Acknowledge each open high or critical finding.');
  }
  return problems.filter((p): p is string => !!p);
}

/** The decision's fields for one item, without the justification (shared by a batch). */
export function decisionFields(
  decision: ReviewDecisionKind,
  item: ReviewItem,
  values: DecisionFormValues,
): Omit<DecisionInput, 'justification'> {
  const fields: Omit<DecisionInput, 'justification'> = { decision };
  if (decision === 'reduce-scope') {
    fields.scopesToRemove = item.snapshot.scopes.filter(s =>
      values.scopesToRemove.includes(s),
    );
  }
  if (decision === 'reassign') {
    fields.reassignTo = normalizeGroupRef(values.reassignTo);
  }
  if (decision === 'certify') {
    const acks: Record<string, string> = {};
    for (const f of seriousFindings(item.snapshot)) {
      acks[f.code] = values.acknowledgements[f.code]!.trim();
    }
    if (Object.keys(acks).length) fields.acknowledgements = acks;
  }
  return fields;
}
