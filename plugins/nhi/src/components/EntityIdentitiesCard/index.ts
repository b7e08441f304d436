export { EntityIdentitiesCard } from './EntityIdentitiesCard';
