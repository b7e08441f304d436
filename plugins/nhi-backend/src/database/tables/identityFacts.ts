/*
 * nhi_identity_facts: what an identity's events showed, one row per identity. Ingest writes
 * it and the status recompute reads it joined to the identity, so both name the same columns.
 */

/** The columns of nhi_identity_facts besides the identity. */
export const FACT_COLUMNS = [
  'last_used_at',
  'last_rotation_event_at',
  'last_revoked_at',
  'last_expired_event_at',
  'last_login_at',
  'last_auth_failure_day',
] as const;
