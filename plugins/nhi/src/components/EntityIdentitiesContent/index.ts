export {
  EntityIdentitiesContent,
  EntityIdentitiesLayout,
} from './EntityIdentitiesContent';
