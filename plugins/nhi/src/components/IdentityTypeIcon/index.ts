export { IdentityTypeIcon } from './IdentityTypeIcon';
