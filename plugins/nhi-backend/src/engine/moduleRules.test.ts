import { DateTime } from 'luxon';
import type { NhiFindingRule } from '@nhi-governance/plugin-nhi-node';
import { DEFAULT_POLICY } from '../policy/Policy';
import { healthy } from '../__testUtils__/fixtures';
import { computeStatus } from './computeStatus';
import { FindingRuleRegistry } from './FindingRuleRegistry';
import { fromStoredStatus, toStoredStatus } from './storedStatus';

const NOW = DateTime.fromISO('2026-11-29T12:00:00Z', { zone: 'utc' });

const noPurpose: NhiFindingRule = {
  code: 'purpose-too-short',
  severity: 'high',
  title: 'Purpose too short to review',
  explanation: 'A reviewer cannot tell what the identity is for.',
  remediation: 'Say in spec.purpose what the identity does, in a sentence.',
  controls: { soc2: ['CC6.3'], nistCsf: ['PR.AA-05'], owaspNhi: ['NHI5'] },
  evaluate: ({ identity }) =>
    (identity.purpose ?? '').length < 200
      ? { purposeLength: (identity.purpose ?? '').length }
      : undefined,
};

describe("a module's finding rule", () => {
  it('is applied after the built-ins, and its finding reads whole from the stored status', () => {
    const rules = FindingRuleRegistry.withBuiltIns();
    rules.addFindingRule(noPurpose);
    const x = healthy();
    const status = computeStatus(
      x.identity,
      x.facts,
      DEFAULT_POLICY,
      NOW,
      rules,
    );
    const finding = status.findings.find(f => f.code === noPurpose.code);
    expect(finding).toEqual({
      code: 'purpose-too-short',
      severity: 'high',
      title: 'Purpose too short to review',
      explanation: 'A reviewer cannot tell what the identity is for.',
      remediation: 'Say in spec.purpose what the identity does, in a sentence.',
      evidence: { purposeLength: expect.any(Number) },
      controls: { soc2: ['CC6.3'], nistCsf: ['PR.AA-05'], owaspNhi: ['NHI5'] },
    });
    // Without the registry the engine applies the built-ins alone.
    expect(
      computeStatus(x.identity, x.facts, DEFAULT_POLICY, NOW).findings.map(
        f => f.code,
      ),
    ).not.toContain(noPurpose.code);

    const stored = toStoredStatus(status, () => '2026-11-29');
    // Built-in findings stay small; the module's keeps its definition.
    for (const f of stored.findings) {
      expect(Boolean(f.definition)).toBe(f.code === noPurpose.code);
    }
    const read = fromStoredStatus(
      JSON.parse(JSON.stringify(stored)),
      NOW,
    ).findings.find(f => f.code === noPurpose.code);
    expect(read).toEqual({ ...finding, openedAt: '2026-11-29' });
  });
});
