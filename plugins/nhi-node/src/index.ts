/**
 * Extension points of the machine-identity governance backend (`nhi`), and the types a backend
 * module needs to add a discovery source format, a connector or a finding rule.
 *
 * @packageDocumentation
 */

export { nhiDiscoveryExtensionPoint } from './discovery/extensionPoint';
export type { NhiDiscoveryExtensionPoint } from './discovery/extensionPoint';
export type {
  ConnectorReadOptions,
  CredentialSourceFormat,
  LeakSourceFormat,
  LogObjectCheckpoints,
  NhiConnector,
  NhiSourceFormat,
  ObjectUsageObservation,
  SourceItems,
  SourceKind,
  SourceParser,
  SourceRunContext,
  SourceScopes,
  SourceSettingsSchema,
  UsageSourceFormat,
} from './discovery/types';
export { SourceParseError } from './discovery/SourceParseError';
export { ignoreWarnings } from './discovery/SourceWarning';
export type { SourceWarning, WarnFn } from './discovery/SourceWarning';
export { nhiFindingRulesExtensionPoint } from './findings/extensionPoint';
export type {
  NhiFindingRule,
  NhiFindingRulesExtensionPoint,
} from './findings/extensionPoint';
export type {
  AnomalyPolicy,
  FindingEvaluator,
  FindingEvidence,
  GovernanceFacts,
  IdentityFacts,
  Policy,
  RuleInput,
  UnusualDay,
} from './findings/ruleInput';
export { redactUrl, REDACTED_VALUE } from './http/redactUrl';
export {
  redactedRequestLogging,
  withoutSecretsInRequestLog,
} from './http/requestLogging';
