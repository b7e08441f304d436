import type { NhiFindingRule } from '@nhi-governance/plugin-nhi-node';
import {
  FINDING_CODES,
  FINDING_DEFINITIONS,
} from '@nhi-governance/plugin-nhi-common';
import { BUILT_IN_RULES } from './findings';

/**
 * The built-in finding rules, in the stable order of the finding codes, as a module would
 * register them: each definition from nhi-common with the rule that raises it. Codes without a
 * rule here (none today) are raised elsewhere and are only defined.
 */
export const builtInFindingRules: NhiFindingRule[] = FINDING_CODES.flatMap(
  code => {
    const evaluate = BUILT_IN_RULES[code];
    if (!evaluate) return [];
    const d = FINDING_DEFINITIONS[code];
    return [
      {
        code,
        severity: d.severity,
        title: d.title,
        explanation: d.why,
        remediation: d.remediation,
        controls: d.controls,
        evaluate,
      },
    ];
  },
);
