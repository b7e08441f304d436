// Moved to nhi-node, where modules' parsers find them; kept here for the built-in parsers.
export { ignoreWarnings } from '@nhi-governance/plugin-nhi-node';
export type { SourceWarning, WarnFn } from '@nhi-governance/plugin-nhi-node';
