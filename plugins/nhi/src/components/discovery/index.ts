export { ClaimDialog } from './ClaimDialog';
export {
  claimYaml,
  claimYamlForIdentity,
  PLACEHOLDER_OWNER,
} from './claimYaml';
export { DiscoveredChip, IdentityName } from './IdentityName';
