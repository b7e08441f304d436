import type { Entity } from '@backstage/catalog-model';

/** The entity kinds whose pages get an "Identities" tab. */
export const IDENTITIES_TAB_KINDS = ['component', 'system', 'group'];

/** For `EntitySwitch.Case if={...}` in legacy apps: true on the pages that get the tab. */
export function isIdentitiesTabAvailable(entity: Entity): boolean {
  return IDENTITIES_TAB_KINDS.includes(entity.kind.toLocaleLowerCase('en-US'));
}
