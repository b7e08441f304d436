/**
 * Test utilities for modules of the `nhi` backend plugin.
 *
 * @packageDocumentation
 */

export { startConnectorBackend } from './startConnectorBackend';
