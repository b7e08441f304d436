import { createStores } from '../wiring/createStores';
import type { Knex } from 'knex';
import { IdentityRegistry } from '../identities/IdentityRegistry';
import { DEFAULT_POLICY } from '../policy/Policy';
import { createReviewServices } from '../reviews';
import { DEFAULT_REVIEW_SETTINGS } from '../reviews/reviewSettings';
import { StatusRecomputer } from '../status/StatusRecomputer';
import { TEST_NOW, anIdentity } from './fixtures';

export const DANA = {
  userRef: 'user:default/dana',
  claims: ['user:default/dana', 'group:default/payments'],
};
export const SAM = {
  userRef: 'user:default/sam',
  claims: ['user:default/sam'],
};

/**
 * The quarter the evidence tests export: pay-a and pay-b (whose purpose a spreadsheet would
 * run as a formula), their statuses, the 2026-Q4 campaign in which pay-a is certified then
 * revoked (the justification again formula-like), and an approved exception for pay-b.
 * `beforeRecompute` adds what must be in place when statuses are first computed.
 */
export async function seedEvidenceQuarter(
  knex: Knex,
  beforeRecompute?: () => Promise<void>,
) {
  await new IdentityRegistry(createStores(knex)).applySnapshot(
    'catalog',
    [
      anIdentity('pay-a'),
      anIdentity('pay-b', { purpose: '=HYPERLINK("http://evil","x")' }),
    ],
    '2026-10-02T00:00:00.000Z',
  );
  await beforeRecompute?.();
  await new StatusRecomputer(createStores(knex), DEFAULT_POLICY).recompute(
    {
      existingOwners: new Set(['group:default/payments']),
      entityStates: new Map([['component:default/payments-api', 'active']]),
    },
    TEST_NOW,
  );
  const reviews = createReviewServices({
    stores: createStores(knex),
    policy: DEFAULT_POLICY,
    settings: { ...DEFAULT_REVIEW_SETTINGS, scheduleCampaigns: false },
    notifier: { send: async () => 0 },
    queueIdentities: () => {},
  });
  const campaign = await reviews.campaigns.start(
    { period: '2026-Q4', scope: {} },
    SAM,
    TEST_NOW,
  );
  const items = await knex('nhi_review_items')
    .where('campaign_id', campaign.id)
    .orderBy('identity_ref');
  const always = {
    mayDecide: () => true,
    isSecurity: false,
    seesEveryItem: true,
  };
  await reviews.decisions.decide(
    DANA,
    always,
    [{ itemId: items[0].id, decision: 'certify', justification: 'First' }],
    TEST_NOW,
    { batch: false },
  );
  await reviews.decisions.decide(
    DANA,
    always,
    [
      {
        itemId: items[0].id,
        decision: 'revoke',
        justification: '-1 no longer needed',
      },
    ],
    TEST_NOW.plus({ hours: 1 }),
    { batch: false },
  );
  const requested = await reviews.exceptions.request(
    DANA,
    { read: () => true, request: () => true },
    {
      identity: 'machineidentity:default/pay-b',
      finding: 'rotation-overdue',
      justification: 'Vendor freeze',
      compensatingControls: 'IP allow-list',
      expiresAt: '2027-03-01T00:00:00.000Z',
    },
    TEST_NOW,
  );
  await reviews.exceptions.decide(
    SAM,
    () => true,
    requested.id,
    true,
    'OK',
    TEST_NOW,
  );
  return reviews;
}
