export { ClaimDialog } from './ClaimDialog';
export {
  claimYaml,
  claimYamlForIdentity,
  PLACEHOLDER_OWNER,
} from './claimYaml';
export { discoveredBy } from './discoveredIdentity';
export { DiscoveredChip, IdentityName } from './IdentityName';
