import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { NhiConnector, NhiSourceFormat } from './types';

/**
 * Adds what discovery can read. A name already taken (by a built-in or another module) stops
 * start-up with the name in the message.
 *
 * @public
 */
export interface NhiDiscoveryExtensionPoint {
  addSourceFormat(format: NhiSourceFormat): void;
  addConnector(connector: NhiConnector): void;
}

/**
 * The discovery extension point of the `nhi` backend plugin.
 *
 * @public
 */
export const nhiDiscoveryExtensionPoint =
  createExtensionPoint<NhiDiscoveryExtensionPoint>({ id: 'nhi.discovery' });
