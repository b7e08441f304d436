import {
  FINDING_CODES,
  isBuiltInFindingCode,
} from '@nhi-governance/plugin-nhi-common';
import type {
  NhiFindingRule,
  NhiFindingRulesExtensionPoint,
} from '@nhi-governance/plugin-nhi-node';
import { builtInFindingRules } from './builtInRules';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Codes modules registered in this process, for the API's input checks (a filter or an
 * acknowledgement may name them), which are defined once at load and cannot be handed the
 * registry. Only ever grows; the engine itself is given its registry.
 */
const registeredModuleCodes = new Set<string>();
let knownCodes: [string, ...string[]] = [...FINDING_CODES];

/** The built-in finding codes, then those modules registered. */
export const knownFindingCodes = (): readonly [string, ...string[]] =>
  knownCodes;

/**
 * The finding rules the engine applies: the built-ins first, then those modules added through
 * `nhiFindingRulesExtensionPoint`. A bad or taken code is refused when added, which stops
 * start-up with the code named.
 */
export class FindingRuleRegistry implements NhiFindingRulesExtensionPoint {
  private readonly rules = new Map<string, NhiFindingRule>();

  /** A registry holding the built-in rules, added through the same door as a module's. */
  static withBuiltIns(): FindingRuleRegistry {
    const registry = new FindingRuleRegistry();
    for (const rule of builtInFindingRules) registry.add(rule, true);
    return registry;
  }

  addFindingRule(rule: NhiFindingRule): void {
    this.add(rule, false);
  }

  private add(rule: NhiFindingRule, builtIn: boolean) {
    const where = `Finding rule ${JSON.stringify(rule.code)}`;
    if (typeof rule.code !== 'string' || !KEBAB.test(rule.code)) {
      throw new Error(
        `${where}: the code must be kebab-case, such as ci-token-without-expiry`,
      );
    }
    if (!builtIn && isBuiltInFindingCode(rule.code)) {
      throw new Error(
        `${where}: the code is a built-in finding; a module must use a code of its own`,
      );
    }
    if (this.rules.has(rule.code)) {
      throw new Error(`${where}: the code was registered twice`);
    }
    if (typeof rule.evaluate !== 'function') {
      throw new Error(`${where}: evaluate must be a function`);
    }
    for (const key of ['title', 'explanation', 'remediation'] as const) {
      if (!rule[key]?.trim()) {
        throw new Error(`${where}: ${key} must not be empty`);
      }
    }
    this.rules.set(rule.code, Object.freeze({ ...rule }));
    if (!builtIn && !registeredModuleCodes.has(rule.code)) {
      registeredModuleCodes.add(rule.code);
      knownCodes = [...FINDING_CODES, ...registeredModuleCodes];
    }
  }

  /** Every rule, built-ins first, in the order they were added. */
  list(): NhiFindingRule[] {
    return [...this.rules.values()];
  }

  get(code: string): NhiFindingRule | undefined {
    return this.rules.get(code);
  }

  /** The codes of the rules modules added, beside the built-in vocabulary. */
  moduleCodes(): string[] {
    return [...this.rules.keys()].filter(c => !isBuiltInFindingCode(c));
  }
}
