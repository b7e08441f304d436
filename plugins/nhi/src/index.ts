/**
 * Machine identities in the developer portal (legacy frontend system exports).
 *
 * @packageDocumentation
 */

export { nhiPlugin, EntityIdentitiesContent } from './plugin';
export { IDENTITIES_TAB_KINDS, isIdentitiesTabAvailable } from './filters';
