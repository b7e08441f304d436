import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  ControlMapping,
  Severity,
} from '@nhi-governance/plugin-nhi-common';
import type { FindingEvaluator } from './ruleInput';

/**
 * One kind of finding and the rule that raises it. Everything the portal shows of a finding
 * (title, why, how to fix, controls) comes from here and travels with the finding into the
 * stored status, the API, the UI and the evidence package.
 *
 * @public
 */
export interface NhiFindingRule {
  /** Stable kebab-case code, e.g. `ci-token-without-expiry`; a built-in's code is refused. */
  code: string;
  severity: Severity;
  /** A few words, shown as the finding's name. */
  title: string;
  /** Why it matters, in plain language. */
  explanation: string;
  /** How to fix it. */
  remediation: string;
  /** The SOC 2, NIST CSF 2.0 and OWASP NHI Top 10 controls the finding bears on. */
  controls: ControlMapping;
  /** Pure: returns the evidence of the finding, or undefined when the identity is fine. */
  evaluate: FindingEvaluator;
}

/**
 * Adds finding rules. A code that is not kebab-case, or is already taken by a built-in or
 * another module, stops start-up with the code in the message.
 *
 * @public
 */
export interface NhiFindingRulesExtensionPoint {
  addFindingRule(rule: NhiFindingRule): void;
}

/**
 * The finding-rules extension point of the `nhi` backend plugin.
 *
 * @public
 */
export const nhiFindingRulesExtensionPoint =
  createExtensionPoint<NhiFindingRulesExtensionPoint>({
    id: 'nhi.findingRules',
  });
