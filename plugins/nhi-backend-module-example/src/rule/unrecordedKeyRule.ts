import { DateTime } from 'luxon';
import type {
  FindingEvidence,
  NhiFindingRule,
  RuleInput,
} from '@nhi-governance/plugin-nhi-node';

export const UNRECORDED_KEY = 'key-issued-unrecorded';

const day = (value?: string) => {
  if (!value) return undefined;
  const d = DateTime.fromISO(value, { zone: 'utc' });
  return d.isValid ? d.toISODate()! : undefined;
};

/**
 * A declared identity whose provider lists an active key issued after the last issue or
 * rotation the portal has on record (the declaration's dates, or a `rotated`/`issued` event).
 * Someone made a new key outside the recorded process: the declaration no longer describes
 * the credential, and whoever holds the new key is not known.
 */
export function findUnrecordedKeys({
  identity,
  facts,
}: RuleInput): FindingEvidence | undefined {
  // A credential nobody declared has nothing on record to compare with: that is `undeclared`.
  if (facts.sources.some(s => s.discovered)) return undefined;
  const recorded = [
    day(identity.credential.createdAt),
    day(identity.credential.lastRotatedAt),
    day(facts.lastRotationEventAt),
  ]
    .filter((d): d is string => !!d)
    .sort()
    .pop();
  if (!recorded) return undefined;
  const newer = facts.sources.flatMap(s =>
    (s.credentials ?? [])
      .filter(c => c.active && (day(c.createdAt) ?? '') > recorded)
      .map(c => ({
        source: s.sourceId,
        key: c.externalId,
        at: day(c.createdAt)!,
      })),
  );
  if (!newer.length) return undefined;
  return {
    keys: newer.map(k => `${k.key} issued ${k.at} (${k.source})`),
    lastRecordedRotation: recorded,
    sources: [...new Set(newer.map(k => k.source))],
  };
}

/** The finding rule the example module registers. */
export const unrecordedKeyRule: NhiFindingRule = {
  code: UNRECORDED_KEY,
  severity: 'medium',
  title: 'Key issued without a recorded rotation',
  explanation:
    'The provider lists an active key newer than the last issue or rotation on record. A key was made outside the documented process: the declaration no longer describes the credential in use, and nobody has confirmed who holds the new key.',
  remediation:
    'Find who issued the key. If it replaced the old one, record the rotation (a rotated event, or update spec.credential.lastRotatedAt) and delete the old key; if nobody can account for it, deactivate it and rotate the credential.',
  controls: {
    soc2: ['CC6.1', 'CC6.2'],
    nistCsf: ['PR.AA-01', 'ID.AM-08'],
    owaspNhi: ['NHI7'],
  },
  evaluate: findUnrecordedKeys,
};
