export { EntityIdentitiesContent } from './EntityIdentitiesContent';
