/**
 * Machine identity governance backend.
 *
 * @packageDocumentation
 */

export { nhiPlugin as default } from './plugin';
export {
  nhiIdentityConditions,
  createNhiIdentityConditionalDecision,
  identityPermissionRules,
} from './permissions/identityResource';
