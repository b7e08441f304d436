/**
 * Machine identity governance backend.
 *
 * @packageDocumentation
 */

export { nhiPlugin as default } from './plugin';
