export { nhiApiRef } from './NhiApi';
export type {
  NhiApi,
  IdentityListQuery,
  DecisionInput,
  ExceptionInput,
} from './NhiApi';
export { NhiClient, toQueryString } from './NhiClient';
