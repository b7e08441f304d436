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
    /** Lifecycle and usage events, besides `POST /api/nhi/events`. */
    events?: {
      /**
       * The topic of Backstage's events service (`@backstage/plugin-events-node`) the backend
       * takes event batches from: each payload is the body `POST /api/nhi/events` takes
       * (`{ events: [...] }`), checked and applied the same way, each event once by its id.
       * A backend module can publish there, and so can the events backend's HTTP ingress when
       * the topic is listed under `events.http.topics` (`POST /api/events/http/<topic>`, which
       * the events backend does not authenticate: add a request validator first). A refused
       * payload is logged as a warning naming the topic and dropped. Letters, digits, `.`,
       * `_` and `-`. Default `nhi.events`; `false` subscribes to no topic.
       */
      topic?: string | false;
    };
    /**
     * Discovery: the exports that clouds, clusters and scanners already produce, read on a
     * schedule, to find identities nobody declared and the dates the source knows.
     */
    discovery?: {
      /** Each source: a documented export format, read from a file path or a URL. */
      sources?: Array<{
        /** Lowercase letters, digits and dashes, unique, e.g. `aws-prod-credential-report`. */
        id: string;
        /**
         * Credential lists: `aws-credential-report`, `gcp-service-account-keys`,
         * `entra-applications`, `github-personal-access-tokens`, `github-app-installations`,
         * `kubernetes-service-accounts`. Usage logs: `aws-cloudtrail`, `vault-audit`. Leak
         * scans: `gitleaks`, `trufflehog`.
         */
        format: string;
        /** A file the backend can read. Give path or url. */
        path?: string;
        /** A URL read through the UrlReaderService (allowed by `backend.reading.allow`). */
        url?: string;
        /** How often to read it, as an ISO 8601 duration. Default PT1H. */
        frequency?: string;
        /**
         * Credential lists only: the declared externalIds this source is the complete record
         * of, as prefixes (`arn:aws:iam::123456789012:`), or `*` for every declared identity of
         * its provider. A declared identity in scope that a complete read does not list gets
         * a missing-at-source finding. Default none: the source never says one is missing.
         */
        authoritativeFor?: string[];
        /**
         * The format's own settings, for a format that takes some (a backend module's format
         * may, e.g. `accountId` for `aws-iam-access-keys`); checked by the format's schema at
         * start-up. A format that takes none refuses them.
         */
        settings?: { [key: string]: unknown };
      }>;
    };
    /**
     * The ledger's signed checkpoints: its head signed with an Ed25519 key the database does not
     * hold, on a schedule and with every evidence export, kept in the ledger and published, so
     * that a history rewritten in the database no longer matches them. Production refuses to
     * start without a key.
     */
    ledger?: {
      checkpoints?: {
        /**
         * The Ed25519 private key (PKCS #8 PEM, e.g. `openssl genpkey -algorithm ed25519`), from
         * this file. Give this or signingKeyEnv.
         */
        signingKeyFile?: string;
        /** The name of the environment variable that holds the private key's PEM text. */
        signingKeyEnv?: string;
        /**
         * The log's name, the first line of each checkpoint and the name of its key: one word
         * without "+". Default `<host of backend.baseUrl>/api/nhi/ledger`.
         */
        origin?: string;
        /** How often the head is signed, as an ISO 8601 duration. Default PT1H. */
        frequency?: string;
        /** Where each checkpoint is also published, out of the database writer's reach. */
        publish?: {
          /** A file each checkpoint is appended to, as a JSON line `{ seq, note }`. */
          file?: string;
          /** A URL each signed note is POSTed to as text (a log witness, an object store). */
          url?: string;
          /** Entity refs (users, groups) sent a notification with each checkpoint. */
          notify?: string[];
        };
      };
    };
    /** How recertification (campaigns, decisions, exceptions) runs. */
    reviews?: {
      /**
       * Whether a campaign over every identity starts by itself at the start of each period of
       * `nhi.policy.reviewCadence` (`2026-Q4` for P3M). Default true. Security can always start
       * one by hand.
       */
      scheduleCampaigns?: boolean;
      /** How long after opening a campaign is due, e.g. P30D (the default). */
      campaignDuration?: string;
      /** How long before the due date owners with items left get a reminder. Default P7D. */
      reminderBefore?: string;
      /**
       * What happens to an item nobody decided by the due date: `escalate` to security (the
       * default), `keep` (recorded, nothing else), or `flag-for-revocation` (security and the
       * owners are told). Never an automatic revocation: that causes lockouts.
       */
      nonResponseAction?: 'escalate' | 'keep' | 'flag-for-revocation';
      /**
       * Whether the person who approved an identity (`spec.approval.approvedBy`) may also
       * certify it. Default false: separation of duties.
       */
      allowApproverToCertify?: boolean;
      /** How long a revoke or reduce-scope decision gives the owner to carry it out. Default P14D. */
      remediationPeriod?: string;
      /** How long before an exception expires its owners are told. Default P14D. */
      exceptionExpiryNotice?: string;
      /**
       * The group that handles escalations, exception requests and identities without an
       * owner, as a full ref. Default group:default/security.
       */
      securityGroup?: string;
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
      /**
       * When use is unusual for an identity, measured against its own history (the anomaly
       * finding). Each of the last `recentDays` days with use is compared with the
       * `baselineDays` days before it: an address or region not seen in the baseline, use in
       * an hour (UTC) of the day never used in it, or more uses than `volumeFactor` times the
       * baseline's median day (and at least `minimumVolume`). Nothing is flagged until the
       * baseline has `minimumBaselineDays` days with use. A burst of failed authentications
       * is the auth-failure-spike finding (`authFailureSpike`).
       */
      anomaly?: {
        /** Default 7. */
        recentDays?: number;
        /** Default 30. */
        baselineDays?: number;
        /** Default 7. */
        minimumBaselineDays?: number;
        /** Default 5. */
        volumeFactor?: number;
        /** Default 50. */
        minimumVolume?: number;
      };
    };
  };
}
