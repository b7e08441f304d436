/**
 * An example module for the machine-identity governance backend: a source format
 * (`aws-iam-access-keys`) and a finding rule (`key-issued-unrecorded`).
 *
 * @packageDocumentation
 */

export { nhiModuleExample as default } from './module';
export { parseAccessKeys } from './accessKeys/parseAccessKeys';
export { ACCESS_KEYS_FORMAT, accessKeysSettings } from './accessKeys/settings';
export {
  UNRECORDED_KEY,
  findUnrecordedKeys,
  unrecordedKeyRule,
} from './rule/unrecordedKeyRule';
