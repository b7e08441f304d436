export { IdentityDetailsPanel } from './IdentityDetailsPanel';
