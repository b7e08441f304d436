/**
 * The events-service topic on which the catalog module announces a MachineIdentity entity
 * that is new or changed, so that the nhi backend refreshes within seconds instead of waiting
 * for its scheduled run.
 *
 * @public
 */
export const NHI_CATALOG_CHANGED_TOPIC = 'nhi.catalog.changed';

/**
 * The payload published on {@link NHI_CATALOG_CHANGED_TOPIC}.
 *
 * @public
 */
export interface NhiCatalogChangedPayload {
  /** The changed identity, e.g. `machineidentity:default/payments-db-writer`. */
  entityRef: string;
}
