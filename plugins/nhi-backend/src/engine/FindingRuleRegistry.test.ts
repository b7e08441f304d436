import { FINDING_CODES } from '@nhi-governance/plugin-nhi-common';
import type { NhiFindingRule } from '@nhi-governance/plugin-nhi-node';
import { FindingRuleRegistry } from './FindingRuleRegistry';

const rule = (code: string): NhiFindingRule => ({
  code,
  severity: 'medium',
  title: 'A title',
  explanation: 'Why it matters',
  remediation: 'How to fix it',
  controls: { soc2: ['CC6.1'], nistCsf: ['PR.AA-01'], owaspNhi: ['NHI7'] },
  evaluate: () => undefined,
});

describe('FindingRuleRegistry', () => {
  it('holds every built-in rule, in the order of the finding codes, then modules’ rules', () => {
    const registry = FindingRuleRegistry.withBuiltIns();
    registry.addFindingRule(rule('ci-token-without-expiry'));
    const codes = registry.list().map(r => r.code);
    expect(codes.slice(0, -1)).toEqual([...FINDING_CODES]);
    expect(codes[codes.length - 1]).toBe('ci-token-without-expiry');
    expect(registry.moduleCodes()).toEqual(['ci-token-without-expiry']);
  });

  it('refuses a built-in code, naming it', () => {
    expect(() =>
      FindingRuleRegistry.withBuiltIns().addFindingRule(rule('dormant')),
    ).toThrow(
      'Finding rule "dormant": the code is a built-in finding; a module must use a code of its own',
    );
  });

  it('refuses a code registered twice, or not kebab-case, or a rule without its text', () => {
    const registry = FindingRuleRegistry.withBuiltIns();
    registry.addFindingRule(rule('stale-key'));
    expect(() => registry.addFindingRule(rule('stale-key'))).toThrow(
      'Finding rule "stale-key": the code was registered twice',
    );
    expect(() => registry.addFindingRule(rule('Stale_Key'))).toThrow(
      'Finding rule "Stale_Key": the code must be kebab-case',
    );
    expect(() =>
      registry.addFindingRule({ ...rule('no-title'), title: ' ' }),
    ).toThrow('Finding rule "no-title": title must not be empty');
  });
});
