// Moved to nhi-node, where modules' parsers find it; kept here for the built-in parsers.
export { SourceParseError } from '@nhi-governance/plugin-nhi-node';
