export { canonicalJson } from '@nhi-governance/nhi-evidence';
