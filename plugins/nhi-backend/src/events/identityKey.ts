import type { IngestEvent } from '@nhi-governance/plugin-nhi-common';

/**
 * How a batch names an identity, as one key: by entity ref, or by provider and external id.
 * The store resolves keys to refs and the ingestor looks its events up by the same key.
 * Entity refs are ASCII (the schema checks them), so plain lower-casing is exact; the
 * locale-aware form costs a collector's batch several milliseconds.
 */
export const identityKey = (identity: IngestEvent['identity']) =>
  'ref' in identity
    ? `ref:${identity.ref.toLowerCase()}`
    : `ext:${identity.provider}\u0000${identity.externalId}`;
