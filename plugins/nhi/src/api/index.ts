export { nhiApiRef } from './NhiApi';
export type {
  NhiApi,
  IdentityListQuery,
  DecisionInput,
  ExceptionInput,
  EvidenceScope,
  EvidenceDownloadProgress,
} from './NhiApi';
export { EVIDENCE_PACKAGE_ENTRIES } from './zipEntryScanner';
export { NhiClient } from './NhiClient';
export { toQueryString } from './openapiCalls';
