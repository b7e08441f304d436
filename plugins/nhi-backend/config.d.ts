import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Machine identity governance. */
  nhi?: {
    /** How the identity table follows the catalog. */
    refresh?: {
      /**
       * How long after the catalog announces a new or changed MachineIdentity the nhi backend
       * refreshes; further changes within that time share the refresh. A duration such as
       * `{ seconds: 5 }` or `PT5S`. Default 5 seconds. Removals from the catalog are not
       * announced and wait for the scheduled refresh (every 10 minutes).
       */
      catalogChangeDebounce?: HumanDuration | string;
    };
    /**
     * The policy identities are measured against. Durations are ISO 8601 (`P90D`, `P3M`, `P1Y`).
     * An invalid value stops the backend at start-up with a message naming the key.
     */
    policy?: {
      /**
       * The longest a credential may go unrotated, per identity type, e.g. `{ api-key: P90D }`.
       * Types left out keep their defaults; `spec.credential.rotationPeriod` on an entity
       * overrides this for that identity.
       */
      maxCredentialAge?: { [type: string]: string };
      /**
       * Stricter (or looser) ages per environment, e.g.
       * `{ production: { maxCredentialAge: { api-key: P60D } } }`.
       */
      environments?: {
        [environment: string]: {
          maxCredentialAge?: { [type: string]: string };
        };
      };
      /** How long before the due date rotation counts as due soon. Default P14D. */
      dueSoonWindow?: string;
      /** How long without use makes an identity dormant. Default P90D. */
      dormancyThreshold?: string;
      /** How long a new identity may go unused before it counts as never used. Default P30D. */
      neverUsedGracePeriod?: string;
      /** How often each identity must be recertified. Default P3M (quarterly). */
      reviewCadence?: string;
      /** The longest a credential may live (expiry minus creation) without an exception. Default P1Y. */
      maxLifetime?: string;
      /**
       * Types that hold no static secret to rotate (federated, short-lived tokens).
       * Default [workload-identity].
       */
      exemptTypes?: string[];
      /**
       * Providers whose usage reaches the portal even when no event has arrived yet, so that
       * an identity without events there counts as never used rather than unmonitored.
       */
      monitoredProviders?: string[];
      /** When failed authentications count as a spike. */
      authFailureSpike?: {
        /** Failures in the last day below this never count. Default 20. */
        minimum?: number;
        /** How many times the daily average of the previous 30 days. Default 5. */
        factor?: number;
      };
    };
  };
}
