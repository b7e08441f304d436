/**
 * Catalog module for the MachineIdentity kind.
 *
 * @packageDocumentation
 */

export { catalogModuleMachineIdentity as default } from './module';
export { MachineIdentityEntitiesProcessor } from './processor/MachineIdentityEntitiesProcessor';
export { createSecretRedactingParser } from './parser/secretRedactingParser';
