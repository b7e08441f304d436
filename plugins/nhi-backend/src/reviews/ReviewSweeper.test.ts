import { createStores } from '../wiring/createStores';
import type { Knex } from 'knex';
import { Duration } from 'luxon';
import { TEST_NOW, anIdentity } from '../__testUtils__/fixtures';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';

import { IdentityRegistry } from '../identities/IdentityRegistry';
import { DEFAULT_POLICY } from '../policy/Policy';
import { createReviewServices } from '.';
import { DEFAULT_REVIEW_SETTINGS, ReviewSettings } from './reviewSettings';
import type { NoticeBatch } from './ReviewNotifier';
import type { Actor } from './actor';

jest.setTimeout(60_000);

const PAYMENTS = 'group:default/payments';
const PLATFORM = 'group:default/platform';
const DANA: Actor = {
  userRef: 'user:default/dana',
  claims: ['user:default/dana', PAYMENTS],
};
const SAM: Actor = {
  userRef: 'user:default/sam',
  claims: ['user:default/sam'],
};
const OWNER_DECIDES = {
  mayDecide: () => true,
  isSecurity: false,
  seesEveryItem: true,
};
const ref = (name: string) => `machineidentity:default/${name}`;

const IDENTITIES = [
  anIdentity('pay-a'),
  anIdentity('pay-b'),
  anIdentity('plat-a', { owner: PLATFORM }),
];

/**
 * The services over a real database with the clock in the test's hands: each call is given
 * its "now". Notification batches are recorded as the services hand them over (the notifier
 * itself is tested on its own, and for real in the system tests).
 */
describe('the review sweep over time', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let batches: NoticeBatch[];
    let queued: string[];

    async function setUp(settings: Partial<ReviewSettings> = {}) {
      knex = await databases.init(databaseId);
      await applyDatabaseMigrations(knex);
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        IDENTITIES,
        TEST_NOW.toISO()!,
      );
      batches = [];
      queued = [];
      return createReviewServices({
        stores: createStores(knex),
        policy: DEFAULT_POLICY,
        settings: {
          ...DEFAULT_REVIEW_SETTINGS,
          scheduleCampaigns: false,
          ...settings,
        },
        notifier: {
          send: async batch => {
            batches.push(batch);
            return batch.notices.length;
          },
        },
        queueIdentities: refs => queued.push(...refs),
      });
    }

    const itemsOf = async (campaignId: string) =>
      knex('nhi_review_items')
        .where('campaign_id', campaignId)
        .orderBy('identity_ref');
    const ledger = async (kind: string) =>
      (await knex('nhi_ledger').where({ kind }).orderBy('seq')).map(e => ({
        subject: e.subject,
        payload: JSON.parse(e.payload),
      }));

    it('starts one campaign per period on the cadence, whichever replica gets there first', async () => {
      const reviews = await setUp({ scheduleCampaigns: true });
      // Two replicas sweep at once: one runs; the other is refused while it does, or (had
      // the first finished) finds the period's campaign already started.
      const outcomes = await Promise.allSettled([
        reviews.sweeper.run(TEST_NOW),
        reviews.sweeper.run(TEST_NOW),
      ]);
      const swept = outcomes.flatMap(o =>
        o.status === 'fulfilled' ? [o.value] : [],
      );
      const refusals = outcomes.flatMap(o =>
        o.status === 'rejected' ? [String(o.reason.message)] : [],
      );
      expect(
        refusals.filter(
          m => !m.startsWith('A recertification sweep is already running'),
        ),
      ).toEqual([]);
      const started = swept.map(r => r.campaignStarted).filter(Boolean);
      expect(started).toHaveLength(1);
      const campaigns = await knex('nhi_campaigns').select();
      expect(campaigns).toEqual([
        expect.objectContaining({
          period: '2026-Q4',
          origin: 'schedule',
          created_by: 'system:nhi',
          status: 'open',
          due_at: TEST_NOW.plus({ days: 30 }).toISO(),
        }),
      ]);
      expect((await itemsOf(campaigns[0].id)).map(i => i.identity_ref)).toEqual(
        IDENTITIES.map(i => i.ref).sort(),
      );
      expect(
        (await reviews.sweeper.run(TEST_NOW.plus({ days: 1 }))).campaignStarted,
      ).toBeUndefined();
      // One batch for the campaign, listing each group's items (the notifier sends it per person).
      const opened = batches.filter(n => n.topic === 'nhi.campaign.opened');
      expect(opened).toHaveLength(1);
      expect(opened[0].notices.map(n => n.recipients[0]).sort()).toEqual([
        PAYMENTS,
        PAYMENTS,
        PLATFORM,
      ]);
    });

    it('freezes the population: a later identity waits for the next campaign, listed as new', async () => {
      const reviews = await setUp();
      const first = await reviews.campaigns.start(
        { period: '2026-Q4', scope: {} },
        SAM,
        TEST_NOW,
      );
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        [...IDENTITIES, anIdentity('pay-new')],
        TEST_NOW.plus({ days: 2 }).toISO()!,
      );
      expect(await itemsOf(first.id)).toHaveLength(3);
      await reviews.campaigns.close(first.id, SAM, TEST_NOW.plus({ days: 20 }));
      const next = await reviews.campaigns.start(
        { period: '2027-Q1', scope: {} },
        SAM,
        TEST_NOW.plus({ days: 40 }),
      );
      const items = await itemsOf(next.id);
      expect(items.map(i => [i.identity_ref, !!i.new_since_last])).toEqual([
        [ref('pay-a'), false],
        [ref('pay-b'), false],
        [ref('pay-new'), true],
        [ref('plat-a'), false],
      ]);
      const listed = await createStores(knex).reviewItems.listReviewItems(
        { campaignId: next.id, newSinceLastCampaign: true },
        { limit: 10, offset: 0 },
      );
      expect(listed.items.map(i => i.identity)).toEqual([ref('pay-new')]);
    });

    it('opens a draft only when asked, and a cancelled campaign no longer asks for review', async () => {
      const reviews = await setUp();
      const draft = await reviews.campaigns.start(
        { period: '2026-Q4', scope: { owner: [PAYMENTS] }, draft: true },
        SAM,
        TEST_NOW,
      );
      expect(draft).toMatchObject({ status: 'draft', progress: { total: 0 } });
      const opened = await reviews.campaigns.open(
        draft.id,
        TEST_NOW.plus({ hours: 1 }),
      );
      expect(opened).toMatchObject({ status: 'open', progress: { total: 2 } });
      const facts = async () =>
        (
          await knex('nhi_identity_governance')
            .where('identity_ref', ref('pay-a'))
            .first()
        )?.facts;
      expect(JSON.parse(await facts())).toEqual({ reviewDueAt: opened.dueAt });
      await reviews.campaigns.cancel(
        draft.id,
        SAM,
        TEST_NOW.plus({ hours: 2 }),
      );
      expect(await facts()).toBeUndefined();
      await expect(
        reviews.campaigns.open(draft.id, TEST_NOW.plus({ hours: 3 })),
      ).rejects.toThrow(/cancelled and cannot be opened/);
    });

    it('reminds the people with items left, once, a week before the due date', async () => {
      const reviews = await setUp();
      const campaign = await reviews.campaigns.start(
        { period: '2026-Q4', scope: {} },
        SAM,
        TEST_NOW,
      );
      const [payA] = await itemsOf(campaign.id);
      await reviews.decisions.decide(
        DANA,
        OWNER_DECIDES,
        [{ itemId: payA.id, decision: 'certify', justification: 'Needed' }],
        TEST_NOW.plus({ days: 1 }),
        { batch: false },
      );
      batches.length = 0;
      expect(
        (await reviews.sweeper.run(TEST_NOW.plus({ days: 20 }))).remindersSent,
      ).toBe(0);
      const at = TEST_NOW.plus({ days: 24 });
      expect((await reviews.sweeper.run(at)).remindersSent).toBeGreaterThan(0);
      const [reminder] = batches.filter(
        b => b.topic === 'nhi.campaign.reminder',
      );
      expect(reminder.notices.map(n => n.line)).toEqual([
        ref('pay-b'),
        ref('plat-a'),
      ]);
      expect(
        (await reviews.sweeper.run(at.plus({ hours: 1 }))).remindersSent,
      ).toBe(0);
      expect(await ledger('campaign.reminded')).toHaveLength(1);
    });

    it.each<[ReviewSettings['nonResponseAction'], string]>([
      ['keep', 'pending'],
      ['flag-for-revocation', 'pending'],
      ['escalate', 'escalated'],
    ])(
      'takes the configured non-response action (%s), once, and never revokes',
      async (action, state) => {
        const reviews = await setUp({ nonResponseAction: action });
        const campaign = await reviews.campaigns.start(
          { period: '2026-Q4', scope: { owner: [PLATFORM] } },
          SAM,
          TEST_NOW,
        );
        batches.length = 0;
        const late = TEST_NOW.plus({ days: 31 });
        expect((await reviews.sweeper.run(late)).overdueHandled).toBe(1);
        expect(
          (await reviews.sweeper.run(late.plus({ hours: 1 }))).overdueHandled,
        ).toBe(0);
        const [item] = await itemsOf(campaign.id);
        expect(item).toMatchObject({
          state,
          overdue_action: action,
          decision: null,
        });
        expect(await ledger('review.overdue')).toEqual([
          {
            subject: ref('plat-a'),
            payload: expect.objectContaining({ action, itemId: item.id }),
          },
        ]);
        expect(await knex('nhi_remediations').select()).toEqual([]);
        const topics = batches.map(b => b.topic);
        expect(topics).toEqual(
          {
            keep: [],
            'flag-for-revocation': ['nhi.review.flagged-for-revocation'],
            escalate: ['nhi.review.escalated'],
          }[action],
        );
      },
    );

    it('warns the owners once before an exception expires, and records the expiry', async () => {
      const reviews = await setUp();
      const requested = await reviews.exceptions.request(
        DANA,
        { read: () => true, request: () => true },
        {
          identity: ref('pay-a'),
          finding: 'rotation-overdue',
          justification: 'Vendor freeze',
          compensatingControls: 'IP allow-list',
          expiresAt: TEST_NOW.plus({ days: 30 }).toISO()!,
        },
        TEST_NOW,
      );
      await reviews.exceptions.decide(
        SAM,
        () => true,
        requested.id,
        true,
        'Agreed',
        TEST_NOW,
      );
      batches.length = 0;
      expect(
        (await reviews.sweeper.run(TEST_NOW.plus({ days: 10 }))).expiryNotices,
      ).toBe(0);
      expect(
        (await reviews.sweeper.run(TEST_NOW.plus({ days: 17 }))).expiryNotices,
      ).toBe(1);
      expect(
        (await reviews.sweeper.run(TEST_NOW.plus({ days: 18 }))).expiryNotices,
      ).toBe(0);
      const [notice] = batches.filter(
        b => b.topic === 'nhi.exception.expiring',
      );
      expect(notice.notices).toEqual([
        {
          recipients: [PAYMENTS],
          line: expect.stringContaining(
            `${ref('pay-a')}: rotation-overdue exception expires`,
          ),
        },
      ]);
      const after = await reviews.sweeper.run(TEST_NOW.plus({ days: 31 }));
      expect(after.exceptionsExpired).toBe(1);
      expect(await ledger('exception.expired')).toEqual([
        {
          subject: ref('pay-a'),
          payload: expect.objectContaining({ exceptionId: requested.id }),
        },
      ]);
      expect(
        await knex('nhi_identity_governance').where(
          'identity_ref',
          ref('pay-a'),
        ),
      ).toEqual([]);
    });

    it('closes a scope reduction once the scopes changed in the catalog', async () => {
      const reviews = await setUp({
        remediationPeriod: Duration.fromISO('P7D'),
      });
      const campaign = await reviews.campaigns.start(
        { period: '2026-Q4', scope: { owner: [PAYMENTS] } },
        SAM,
        TEST_NOW,
      );
      const [payA] = await itemsOf(campaign.id);
      await reviews.decisions.decide(
        DANA,
        OWNER_DECIDES,
        [
          {
            itemId: payA.id,
            decision: 'reduce-scope',
            scopesToRemove: ['charges:write'],
            justification: 'Reads only',
          },
        ],
        TEST_NOW,
        { batch: false },
      );
      const governance = async () =>
        JSON.parse(
          (
            await knex('nhi_identity_governance')
              .where('identity_ref', ref('pay-a'))
              .first()
          ).facts,
        );
      expect((await governance()).remediations).toEqual([
        expect.objectContaining({
          kind: 'reduce-scope',
          dueAt: TEST_NOW.plus({ days: 7 }).toISO(),
        }),
      ]);
      expect(
        (await reviews.sweeper.run(TEST_NOW.plus({ days: 1 })))
          .remediationsClosed,
      ).toBe(0);
      await new IdentityRegistry(createStores(knex)).applySnapshot(
        'catalog',
        [
          anIdentity('pay-a', { scopes: ['charges:read'] }),
          ...IDENTITIES.slice(1),
        ],
        TEST_NOW.plus({ days: 2 }).toISO()!,
      );
      expect(
        (await reviews.sweeper.run(TEST_NOW.plus({ days: 2 })))
          .remediationsClosed,
      ).toBe(1);
      expect((await governance()).remediations).toBeUndefined();
      expect(await ledger('remediation.closed')).toEqual([
        {
          subject: ref('pay-a'),
          payload: expect.objectContaining({
            closedBy: 'scopes changed: charges:write no longer declared',
          }),
        },
      ]);
      expect(queued).toContain(ref('pay-a'));
    });
  });
});
