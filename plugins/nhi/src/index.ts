/**
 * Machine identities in the developer portal (legacy frontend system exports).
 *
 * @packageDocumentation
 */

export {
  nhiPlugin,
  EntityIdentitiesContent,
  EntityIdentitiesCard,
  NhiSecurityPage,
  NhiAttestationsPage,
  MyAttestationsCard,
} from './plugin';
export { IDENTITIES_TAB_KINDS, isIdentitiesTabAvailable } from './filters';
export { nhiApiRef, NhiClient } from './api';
export type { NhiApi, EvidenceScope, EvidenceDownloadProgress } from './api';
export { ATTESTATIONS_PAGE_PATH, SECURITY_PAGE_PATH } from './routes';
