import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import {
  ReviewBackend,
  SECURITY,
  identityEntity,
  startReviewBackend,
} from '../__testUtils__/reviewBackend';

jest.setTimeout(120_000);

const DANA = 'user:default/dana';
const OMAR = 'user:default/omar';
const MARCUS = 'user:default/marcus';
const SAM = 'user:default/sam';
const PRIYA = 'user:default/priya';
const ref = (name: string) => `machineidentity:default/${name}`;

const IDENTITIES = [
  identityEntity('checkout-key'),
  identityEntity('refunds-key'),
  identityEntity('ledger-key'),
  // Admin scope: an open high-severity finding (overprivileged).
  identityEntity('admin-key', { privilege: 'admin', scopes: ['*'] }),
  // Dana approved it herself: she may not also certify it.
  identityEntity('dana-approved-key', {
    approval: { approvedBy: DANA, approvedAt: '2026-10-01', ticket: 'SEC-9' },
  }),
  identityEntity('platform-key', { owner: 'group:default/platform' }),
  identityEntity('security-key', { owner: SECURITY }),
  identityEntity('unapproved-key', { approval: undefined }),
  // Its owner group is not in the catalog: nobody there can answer for it.
  identityEntity('orphan-key', { owner: 'group:default/ghosts' }),
];

const future = (seconds: number) => DateTime.utc().plus({ seconds }).toISO()!;
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('recertification against a real backend', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let backend: ReviewBackend;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startReviewBackend(knex, IDENTITIES);
      await backend.refresh();
    });

    afterAll(async () => {
      await backend?.stop();
    });

    const ledgerKinds = async (name: string) =>
      (await knex('nhi_ledger').where('subject', ref(name)).orderBy('seq')).map(
        e => ({ kind: e.kind, payload: JSON.parse(e.payload) }),
      );
    const identity = async (name: string) =>
      (await backend.get(`/identities/default/${name}`, SAM)).body.identity;
    const itemsOf = async (campaignId: string) =>
      (await backend.get(`/campaigns/${campaignId}/items?limit=500`, SAM)).body
        .items as any[];
    const itemFor = async (campaignId: string, name: string) =>
      (await itemsOf(campaignId)).find(i => i.identity === ref(name));

    async function openCampaign(body: object = {}) {
      const res = await backend.post(
        '/campaigns',
        {
          period: '2026-Q4',
          scope: { owner: ['group:default/payments'] },
          ...body,
        },
        SAM,
      );
      expect(res.status).toBe(201);
      return res.body;
    }

    describe('a campaign', () => {
      let campaign: any;

      beforeAll(async () => {
        backend.sent.length = 0;
        campaign = await openCampaign();
      });

      it('freezes its population: one item per identity in scope, with a snapshot', async () => {
        expect(campaign).toMatchObject({
          status: 'open',
          origin: 'manual',
          createdBy: SAM,
          progress: { total: 6, decided: 0, pending: 6 },
        });
        const items = await itemsOf(campaign.id);
        expect(items.map(i => i.identity).sort()).toEqual(
          [
            'admin-key',
            'checkout-key',
            'dana-approved-key',
            'ledger-key',
            'refunds-key',
            'unapproved-key',
          ].map(ref),
        );
        const admin = items.find(i => i.identity === ref('admin-key'));
        expect(admin).toMatchObject({
          assignee: 'group:default/payments',
          state: 'pending',
          snapshot: {
            owner: 'group:default/payments',
            purpose: 'Test identity admin-key',
            scopes: ['*'],
            privilege: 'admin',
            usedBy: ['component:default/payments-api'],
            rotation: { status: expect.any(String) },
            usage: { status: expect.any(String) },
            findings: expect.arrayContaining([
              expect.objectContaining({
                code: 'overprivileged',
                severity: 'high',
              }),
            ]),
          },
          snapshotHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
        expect(await ledgerKinds('admin-key')).toContainEqual({
          kind: 'review.assigned',
          payload: expect.objectContaining({
            campaignId: campaign.id,
            itemId: admin.id,
            snapshotHash: admin.snapshotHash,
          }),
        });
      });

      it('tells each member of the owning group once, listing their items', () => {
        const opened = backend.sent.filter(
          n => n.payload.topic === 'nhi.campaign.opened',
        );
        expect(opened.map(n => (n.recipients as any).entityRef).sort()).toEqual(
          [DANA, OMAR],
        );
        expect(opened[0].payload.title).toContain('6 machine identities');
        expect(opened[0].payload.description).toContain(ref('checkout-key'));
        // The platform group has nothing in this campaign and hears nothing.
        expect(
          opened.some(n => (n.recipients as any).entityRef === MARCUS),
        ).toBe(false);
      });

      it('lists pending items for their owners only', async () => {
        const mine = await backend.get('/review-items/mine', DANA);
        expect(mine.status).toBe(200);
        expect(mine.body.totalItems).toBe(6);
        const theirs = await backend.get('/review-items/mine', MARCUS);
        expect(theirs.body.totalItems).toBe(0);
        // The first campaign has no previous one: nothing is new since.
        const fresh = await backend.get(
          `/campaigns/${campaign.id}/items?newSinceLastCampaign=true`,
          SAM,
        );
        expect(fresh.body.totalItems).toBe(0);
        const peek = await backend.get(
          `/campaigns/${campaign.id}/items?group=group:default/payments`,
          MARCUS,
        );
        expect(peek.status).toBe(403);
      });

      it('records a certification with the snapshot it confirmed', async () => {
        const item = await itemFor(campaign.id, 'checkout-key');
        const res = await backend.post(
          `/review-items/${item.id}/decision`,
          { decision: 'certify', justification: 'Still charges cards' },
          DANA,
        );
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          version: 1,
          decision: 'certify',
          decidedBy: DANA,
        });
        expect(await ledgerKinds('checkout-key')).toContainEqual({
          kind: 'review.decided',
          payload: expect.objectContaining({
            itemId: item.id,
            version: 1,
            decision: 'certify',
            decidedBy: DANA,
            justification: 'Still charges cards',
            snapshotHash: item.snapshotHash,
          }),
        });
        await backend.refresh();
        expect((await identity('checkout-key')).status.review.status).toBe(
          'current',
        );
      });

      it('answers a member of another group as for an item that does not exist, and changes nothing', async () => {
        const item = await itemFor(campaign.id, 'refunds-key');
        const none = '00000000-0000-0000-0000-000000000000';
        const attempts = (id: string) => [
          backend.post(
            `/review-items/${id}/decision`,
            { decision: 'certify', justification: 'Looks fine to me' },
            MARCUS,
          ),
          backend.post(
            '/review-items/decisions',
            {
              justification: 'Looks fine to me',
              decisions: [{ itemId: id, decision: 'certify' }],
            },
            MARCUS,
          ),
          backend.post(
            `/review-items/${id}/reassignment`,
            { accept: true, justification: 'We take it' },
            MARCUS,
          ),
          backend.get(`/review-items/${id}`, MARCUS),
        ];
        // Before, the single decision answered 403 naming the owning group and the
        // reassignment 409: both told another team the item existed.
        const answer = async (id: string) =>
          (await Promise.all(attempts(id))).map(r => ({
            status: r.status,
            error: {
              name: r.body.error?.name,
              message: r.body.error?.message?.replace(id, '<id>'),
            },
          }));
        const forOthers = await answer(item.id);
        expect(forOthers.map(a => a.status)).toEqual([404, 404, 404, 404]);
        expect(forOthers).toEqual(await answer(none));
        expect(JSON.stringify(forOthers)).not.toContain('payments');
        expect(
          (await itemFor(campaign.id, 'refunds-key')).decision,
        ).toBeUndefined();
      });

      it('still tells the owning group why it may not act: a reassignment nobody offered (409)', async () => {
        const item = await itemFor(campaign.id, 'refunds-key');
        const res = await backend.post(
          `/review-items/${item.id}/reassignment`,
          { accept: true, justification: 'We take it' },
          DANA,
        );
        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/not awaiting a reassignment/);
      });

      it('refuses a machine principal: machines never attest', async () => {
        const item = await itemFor(campaign.id, 'refunds-key');
        const res = await backend.post(
          `/review-items/${item.id}/decision`,
          { decision: 'certify', justification: 'Automated' },
          'service',
        );
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(/machine principal/);
      });

      it('refuses a certification by the person who approved the identity', async () => {
        const item = await itemFor(campaign.id, 'dana-approved-key');
        const refused = await backend.post(
          `/review-items/${item.id}/decision`,
          { decision: 'certify', justification: 'I know it well' },
          DANA,
        );
        expect(refused.status).toBe(403);
        expect(refused.body.error.message).toMatch(/separation of duties/);
        const byColleague = await backend.post(
          `/review-items/${item.id}/decision`,
          { decision: 'certify', justification: 'Checked with the team' },
          OMAR,
        );
        expect(byColleague.status).toBe(200);
      });

      it('asks for an acknowledgement of each open high-severity finding before certifying', async () => {
        const item = await itemFor(campaign.id, 'admin-key');
        const bare = await backend.post(
          `/review-items/${item.id}/decision`,
          { decision: 'certify', justification: 'Needed' },
          DANA,
        );
        expect(bare.status).toBe(400);
        expect(bare.body.error.message).toMatch(
          /acknowledgements.*overprivileged/,
        );
        const acknowledged = await backend.post(
          `/review-items/${item.id}/decision`,
          {
            decision: 'certify',
            justification: 'Needed for migrations',
            acknowledgements: {
              overprivileged:
                'Admin only during the Q1 migration; tracked in PAY-88',
            },
          },
          DANA,
        );
        expect(acknowledged.status).toBe(200);
        expect(acknowledged.body.acknowledgements).toEqual({
          overprivileged:
            'Admin only during the Q1 migration; tracked in PAY-88',
        });
      });

      it('keeps every version when a decision changes, in the order they landed', async () => {
        const item = await itemFor(campaign.id, 'ledger-key');
        const [a, b] = await Promise.all([
          backend.post(
            `/review-items/${item.id}/decision`,
            { decision: 'certify', justification: 'First view' },
            DANA,
          ),
          backend.post(
            `/review-items/${item.id}/decision`,
            { decision: 'revoke', justification: 'Second view' },
            OMAR,
          ),
        ]);
        expect([a.status, b.status]).toEqual([200, 200]);
        expect([a.body.version, b.body.version].sort()).toEqual([1, 2]);
        const details = (await backend.get(`/review-items/${item.id}`, DANA))
          .body;
        expect(details.history.map((h: any) => h.version)).toEqual([1, 2]);
        expect(details.decision).toEqual(details.history[1]);
        // The ledger holds both, in the same order as the versions.
        const decided = (await ledgerKinds('ledger-key')).filter(
          e => e.kind === 'review.decided',
        );
        expect(decided.map(e => e.payload.version)).toEqual([1, 2]);
        expect(decided.map(e => e.payload.justification)).toEqual(
          details.history.map((h: any) => h.justification),
        );
      });

      it('opens a remediation for a revoke, closed by the revoked event', async () => {
        const item = await itemFor(campaign.id, 'refunds-key');
        const res = await backend.post(
          `/review-items/${item.id}/decision`,
          {
            decision: 'revoke',
            justification: 'Refunds moved to the new service',
          },
          DANA,
        );
        expect(res.status).toBe(200);
        let details = (await backend.get(`/review-items/${item.id}`, DANA))
          .body;
        expect(details.remediations).toEqual([
          expect.objectContaining({
            kind: 'revoke',
            dueAt: expect.any(String),
          }),
        ]);
        expect(details.remediations[0]).not.toHaveProperty('closedAt');
        const sent = await backend.post(
          '/events',
          {
            events: [
              {
                id: `revoke-${databaseId}`,
                type: 'revoked',
                occurredAt: DateTime.utc().toISO(),
                identity: { ref: ref('refunds-key') },
              },
            ],
          },
          'service',
        );
        expect(sent.status).toBe(200);
        const sweep = await backend.post('/reviews/sweep', {}, SAM);
        expect(sweep.body.remediationsClosed).toBe(1);
        details = (await backend.get(`/review-items/${item.id}`, DANA)).body;
        expect(details.remediations[0]).toMatchObject({
          closedAt: expect.any(String),
          closedBy: expect.stringMatching(/^revoked event/),
        });
        expect((await ledgerKinds('refunds-key')).map(e => e.kind)).toEqual(
          expect.arrayContaining(['remediation.opened', 'remediation.closed']),
        );
      });

      it('hands an item to another group, which must accept before deciding', async () => {
        const item = await itemFor(campaign.id, 'unapproved-key');
        const handed = await backend.post(
          `/review-items/${item.id}/decision`,
          {
            decision: 'reassign',
            reassignTo: 'group:default/platform',
            justification: 'Platform runs this now',
          },
          DANA,
        );
        expect(handed.status).toBe(200);
        expect((await itemFor(campaign.id, 'unapproved-key')).state).toBe(
          'awaiting-reassignment',
        );
        const early = await backend.post(
          `/review-items/${item.id}/decision`,
          { decision: 'certify', justification: 'Ours now' },
          MARCUS,
        );
        expect(early.status).toBe(403);
        const accepted = await backend.post(
          `/review-items/${item.id}/reassignment`,
          { accept: true, justification: 'Yes, we run it' },
          MARCUS,
        );
        expect(accepted.status).toBe(200);
        expect(accepted.body).toMatchObject({
          assignee: 'group:default/platform',
          state: 'pending',
        });
        const decided = await backend.post(
          `/review-items/${item.id}/decision`,
          { decision: 'escalate', justification: 'No approval on record' },
          MARCUS,
        );
        expect(decided.status).toBe(200);
        expect((await ledgerKinds('unapproved-key')).map(e => e.kind)).toEqual(
          expect.arrayContaining([
            'review.decided',
            'review.reassignment-accepted',
          ]),
        );
        const escalations = backend.sent.filter(
          n => n.payload.topic === 'nhi.review.escalated',
        );
        expect(
          escalations.map(n => (n.recipients as any).entityRef).sort(),
        ).toEqual([PRIYA, SAM]);
      });

      it('reports progress overall, and per group to security only', async () => {
        const res = await backend.get(`/campaigns/${campaign.id}`, SAM);
        expect(res.body.progress).toMatchObject({ total: 6, escalated: 1 });
        expect(res.body.progress.decided).toBe(5);
        // An owner sees the overall progress and their own groups' rows, not other teams'.
        const own = await backend.get(`/campaigns/${campaign.id}`, DANA);
        expect(own.body.progress).toEqual(res.body.progress);
        expect(own.body.byGroup).toEqual([
          expect.objectContaining({
            group: 'group:default/payments',
            total: 5,
          }),
        ]);
        expect(res.body.byGroup).toEqual([
          expect.objectContaining({
            group: 'group:default/payments',
            total: 5,
            decided: 5,
          }),
          expect.objectContaining({
            group: 'group:default/platform',
            total: 1,
            escalated: 1,
          }),
        ]);
      });

      describe('refuses bad input and keeps what is stored', () => {
        it('an unknown item (404)', async () => {
          const res = await backend.post(
            '/review-items/00000000-0000-0000-0000-000000000000/decision',
            { decision: 'certify', justification: 'x' },
            DANA,
          );
          expect(res.status).toBe(404);
        });

        it('a missing justification (400, naming the field)', async () => {
          const item = await itemFor(campaign.id, 'checkout-key');
          const res = await backend.post(
            `/review-items/${item.id}/decision`,
            { decision: 'certify', justification: '   ' },
            DANA,
          );
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(/justification/);
        });

        it('a justification carrying a secret (400), stored nowhere', async () => {
          const item = await itemFor(campaign.id, 'checkout-key');
          const before = await knex('nhi_ledger').count({ n: '*' });
          const res = await backend.post(
            `/review-items/${item.id}/decision`,
            {
              decision: 'certify',
              justification: `key is ghp_${'a'.repeat(36)}`,
            },
            DANA,
          );
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(
            /^Invalid body: justification .*secret/,
          );
          expect(res.text).not.toContain('ghp_');
          expect(await knex('nhi_ledger').count({ n: '*' })).toEqual(before);
        });

        it('a bulk batch with one bad item: the whole batch, nothing applied', async () => {
          const items = await itemsOf(campaign.id);
          const checkout = items.find(i => i.identity === ref('checkout-key'));
          const admin = items.find(i => i.identity === ref('admin-key'));
          const before = await knex('nhi_review_decisions').count({ n: '*' });
          const res = await backend.post(
            '/review-items/decisions',
            {
              justification: 'Quarterly look',
              decisions: [
                { itemId: checkout.id, decision: 'certify' },
                // Certifying admin-key needs an acknowledgement: the batch fails on it.
                { itemId: admin.id, decision: 'certify' },
              ],
            },
            DANA,
          );
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(
            /^decisions\[1\]: acknowledgements/,
          );
          expect(await knex('nhi_review_decisions').count({ n: '*' })).toEqual(
            before,
          );
          expect(
            (await itemFor(campaign.id, 'checkout-key')).decision.version,
          ).toBe(checkout.decision.version);
        });

        it('a reduce-scope naming a scope the identity lacks', async () => {
          const item = await itemFor(campaign.id, 'checkout-key');
          const res = await backend.post(
            `/review-items/${item.id}/decision`,
            {
              decision: 'reduce-scope',
              scopesToRemove: ['payouts:write'],
              justification: 'Too broad',
            },
            DANA,
          );
          expect(res.status).toBe(400);
          expect(res.body.error.message).toMatch(
            /scopesToRemove.*payouts:write/,
          );
        });
      });

      it('records a bulk decision item by item under one batch id', async () => {
        const items = await itemsOf(campaign.id);
        const ids = ['checkout-key', 'dana-approved-key'].map(
          name => items.find(i => i.identity === ref(name)).id,
        );
        const res = await backend.post(
          '/review-items/decisions',
          {
            justification: 'Reviewed together with the team',
            decisions: ids.map(itemId => ({
              itemId,
              decision: 'reduce-scope',
              scopesToRemove: ['refunds:write'],
            })),
          },
          OMAR,
        );
        expect(res.status).toBe(200);
        expect(res.body.decisions).toHaveLength(2);
        const batchId = res.body.batchId;
        expect(batchId).toMatch(/^[0-9a-f-]{36}$/);
        for (const name of ['checkout-key', 'dana-approved-key']) {
          const decided = (await ledgerKinds(name)).filter(
            e => e.kind === 'review.decided',
          );
          expect(decided[decided.length - 1].payload).toMatchObject({
            batchId,
            decision: 'reduce-scope',
            justification: 'Reviewed together with the team',
          });
        }
      });

      it('takes 30 bulk decisions at once over overlapping items, each landing whole (no deadlock)', async () => {
        const names = ['checkout-key', 'ledger-key', 'refunds-key'];
        const ids = await Promise.all(
          names.map(async n => (await itemFor(campaign.id, n)).id as string),
        );
        const versions = async () =>
          Promise.all(
            ids.map(
              async id =>
                (await backend.get(`/review-items/${id}`, OMAR)).body.history
                  .length as number,
            ),
          );
        const before = await versions();
        // Each batch names two or three of the items, in a different order.
        const batches = Array.from({ length: 30 }, (_, i) => {
          const order = [ids[i % 3], ids[(i + 1) % 3], ids[(i + 2) % 3]];
          return i % 2 ? order.slice(0, 2).reverse() : order;
        });
        const responses = await Promise.all(
          batches.map(batch =>
            backend.post(
              '/review-items/decisions',
              {
                justification: 'Still needed by checkout',
                decisions: batch.map(itemId => ({
                  itemId,
                  decision: 'certify',
                  // One of them has run past its rotation date by now.
                  acknowledgements: { expired: 'Rotation booked in PAY-90' },
                })),
              },
              OMAR,
            ),
          ),
        );
        expect(
          responses.map(r => (r.status === 200 ? 200 : r.body.error?.message)),
        ).toEqual(batches.map(() => 200));
        // Every decision is a version of its item, numbered without gap or repeat.
        const added = (await versions()).map((n, i) => n - before[i]);
        expect(added).toEqual(
          ids.map(id => batches.filter(b => b.includes(id)).length),
        );
      });

      it('closes, after which decisions are refused (409)', async () => {
        const closed = await backend.post(
          `/campaigns/${campaign.id}/close`,
          {},
          SAM,
        );
        expect(closed.status).toBe(200);
        expect(closed.body).toMatchObject({
          status: 'closed',
          closedAt: expect.any(String),
        });
        const item = await itemFor(campaign.id, 'checkout-key');
        const late = await backend.post(
          `/review-items/${item.id}/decision`,
          { decision: 'certify', justification: 'Late' },
          DANA,
        );
        expect(late.status).toBe(409);
        expect(late.body.error.message).toMatch(/closed/);
        const again = await backend.post(
          `/campaigns/${campaign.id}/close`,
          {},
          SAM,
        );
        expect(again.status).toBe(409);
        const entries = await knex('nhi_ledger')
          .where('subject', `campaign:${campaign.id}`)
          .orderBy('seq');
        expect(entries.map(e => e.kind)).toEqual([
          'campaign.created',
          'campaign.opened',
          'campaign.closed',
        ]);
      });

      it('refuses to start a campaign for anyone but security', async () => {
        const res = await backend.post(
          '/campaigns',
          { period: '2026-Q4' },
          DANA,
        );
        expect(res.status).toBe(403);
        const bad = await backend.post(
          '/campaigns',
          { period: '2026 Q4!', dueAt: 'soon' },
          SAM,
        );
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toMatch(/period .*dueAt/s);
      });
    });

    it('gives security the items of identities whose owner is gone', async () => {
      const campaign = await openCampaign({
        period: '2026-Q4-ghosts',
        scope: { owner: ['group:default/ghosts'] },
      });
      const [item] = await itemsOf(campaign.id);
      expect(item).toMatchObject({
        identity: ref('orphan-key'),
        assignee: SECURITY,
        snapshot: { owner: 'group:default/ghosts' },
      });
      const decided = await backend.post(
        `/review-items/${item.id}/decision`,
        { decision: 'revoke', justification: 'Nobody owns it any more' },
        PRIYA,
      );
      expect(decided.status).toBe(200);
    });

    describe('non-response', () => {
      it('escalates an overdue item to security, never revokes it', async () => {
        const campaign = await openCampaign({
          period: '2026-Q4-platform',
          scope: { owner: ['group:default/platform'] },
          dueAt: future(2),
        });
        backend.sent.length = 0;
        await sleep(2500);
        const sweep = await backend.post('/reviews/sweep', {}, SAM);
        expect(sweep.body.overdueHandled).toBe(1);
        const [item] = await itemsOf(campaign.id);
        expect(item).toMatchObject({
          state: 'escalated',
          escalationReason: 'non-response',
          nonResponse: { action: 'escalate' },
        });
        expect(item.decision).toBeUndefined();
        expect(await ledgerKinds('platform-key')).toContainEqual({
          kind: 'review.overdue',
          payload: expect.objectContaining({
            action: 'escalate',
            itemId: item.id,
          }),
        });
        expect(
          backend.sent
            .filter(n => n.payload.topic === 'nhi.review.escalated')
            .map(n => (n.recipients as any).entityRef)
            .sort(),
        ).toEqual([PRIYA, SAM]);
        // Handled once: a second sweep does nothing more.
        expect(
          (await backend.post('/reviews/sweep', {}, SAM)).body.overdueHandled,
        ).toBe(0);
        await backend.refresh();
        const { status } = await identity('platform-key');
        expect(status.review.status).toBe('overdue');
        expect(status.findings.map((f: any) => f.code)).toContain(
          'review-overdue',
        );
      });
    });

    describe('exceptions', () => {
      it('are approved by someone else from security, and except the finding until they expire', async () => {
        const requested = await backend.post(
          '/exceptions',
          {
            identity: ref('security-key'),
            finding: 'unapproved' as any,
            justification: 'x',
            compensatingControls: 'y',
            expiresAt: future(60),
          },
          SAM,
        );
        expect(requested.status).toBe(400);
        expect(requested.body.error.message).toMatch(/finding must be one of/);

        const tooLong = await backend.post(
          '/exceptions',
          {
            identity: ref('admin-key'),
            finding: 'overprivileged',
            justification: 'Migration',
            compensatingControls: 'Alerts on every admin call',
            expiresAt: DateTime.utc().plus({ years: 1, days: 2 }).toISO(),
          },
          DANA,
        );
        expect(tooLong.status).toBe(400);
        expect(tooLong.body.error.message).toMatch(
          /expiresAt must be at most one year ahead/,
        );

        const notOwner = await backend.post(
          '/exceptions',
          {
            identity: ref('admin-key'),
            finding: 'overprivileged',
            justification: 'Migration',
            compensatingControls: 'Alerts',
            expiresAt: future(60),
          },
          MARCUS,
        );
        expect(notOwner.status).toBe(404);

        const res = await backend.post(
          '/exceptions',
          {
            identity: ref('admin-key'),
            finding: 'overprivileged',
            justification: 'Admin needed for the migration',
            compensatingControls: 'Every admin call alerts the on-call',
            expiresAt: future(4),
          },
          DANA,
        );
        expect(res.status).toBe(201);
        const id = res.body.id;
        expect(
          backend.sent.some(
            n =>
              n.payload.topic === 'nhi.exception.requested' &&
              (n.recipients as any).entityRef === SAM,
          ),
        ).toBe(true);

        const byOwner = await backend.post(
          `/exceptions/${id}/approve`,
          { reason: 'ok' },
          DANA,
        );
        expect(byOwner.status).toBe(403);
        const approved = await backend.post(
          `/exceptions/${id}/approve`,
          { reason: 'Compensating control verified' },
          PRIYA,
        );
        expect(approved.status).toBe(200);
        expect(approved.body).toMatchObject({
          status: 'approved',
          decidedBy: PRIYA,
        });
        await backend.refresh();
        let finding = (await identity('admin-key')).status.findings.find(
          (f: any) => f.code === 'overprivileged',
        );
        expect(finding.exception).toMatchObject({ id, approvedBy: PRIYA });
        expect(
          (
            await backend.get('/identities?finding=overprivileged', SAM)
          ).body.items.map((i: any) => i.ref),
        ).not.toContain(ref('admin-key'));

        await sleep(4500);
        const sweep = await backend.post('/reviews/sweep', {}, SAM);
        expect(sweep.body.exceptionsExpired).toBe(1);
        await backend.refresh();
        finding = (await identity('admin-key')).status.findings.find(
          (f: any) => f.code === 'overprivileged',
        );
        expect(finding.exception).toBeUndefined();
        expect((await ledgerKinds('admin-key')).map(e => e.kind)).toEqual(
          expect.arrayContaining([
            'exception.requested',
            'exception.approved',
            'exception.expired',
          ]),
        );
        const statusChanges = (await ledgerKinds('admin-key')).filter(
          e => e.kind === 'status.changed',
        );
        expect(statusChanges.some(e => e.payload.findingsExcepted)).toBe(true);
        expect(
          statusChanges.some(e =>
            e.payload.findingsOpened?.some(
              (f: any) => f.code === 'overprivileged',
            ),
          ),
        ).toBe(true);
      });

      it("answer a request for another team's identity as for one that does not exist", async () => {
        const ask = (subject: string) =>
          backend.post(
            '/exceptions',
            {
              identity: subject,
              finding: 'rotation-overdue',
              justification: 'Vendor freeze',
              compensatingControls: 'IP allow-list',
              expiresAt: future(3600),
            },
            MARCUS,
          );
        const before = await knex('nhi_exceptions').count({ n: '*' });
        // Before, another team's identity answered 403 naming it.
        const others = await ask(ref('refunds-key'));
        const missing = await ask(ref('no-such-key'));
        expect([others.status, missing.status]).toEqual([404, 404]);
        expect(others.body.error.message).toBe(
          `No machine identity ${ref('refunds-key')}`,
        );
        expect(
          others.body.error.message.replace('refunds-key', 'no-such-key'),
        ).toBe(missing.body.error.message);
        expect(await knex('nhi_exceptions').count({ n: '*' })).toEqual(before);
      });

      it('are never approved by the person who requested them', async () => {
        const res = await backend.post(
          '/exceptions',
          {
            identity: ref('security-key'),
            finding: 'rotation-overdue',
            justification: 'Vendor cannot rotate before March',
            compensatingControls: 'IP allow-list',
            expiresAt: future(3600),
          },
          SAM,
        );
        expect(res.status).toBe(201);
        const own = await backend.post(
          `/exceptions/${res.body.id}/approve`,
          { reason: 'Fine' },
          SAM,
        );
        expect(own.status).toBe(403);
        expect(own.body.error.message).toMatch(
          /requested an exception never approves/,
        );
        const rejected = await backend.post(
          `/exceptions/${res.body.id}/reject`,
          { reason: 'Rotate it instead' },
          PRIYA,
        );
        expect(rejected.body.status).toBe('rejected');
      });
    });

    describe('approval of new identities', () => {
      it('queues identities without approval until security approves them with a ticket', async () => {
        const queue = await backend.get('/approvals', SAM);
        expect(queue.status).toBe(200);
        expect(queue.body.items.map((i: any) => i.identity)).toEqual([
          ref('unapproved-key'),
        ]);
        const sentBack = await backend.post(
          '/approvals/default/unapproved-key',
          { decision: 'send-back', reason: 'Name the component that uses it' },
          SAM,
        );
        expect(sentBack.status).toBe(200);
        // Sent back, it stays in the queue, marked, and its owners hear why.
        expect((await backend.get('/approvals', SAM)).body.items).toEqual([
          expect.objectContaining({
            identity: ref('unapproved-key'),
            sentBack: expect.objectContaining({
              by: SAM,
              reason: 'Name the component that uses it',
            }),
          }),
        ]);
        expect(
          backend.sent.some(
            n =>
              n.payload.topic === 'nhi.identity.sent-back' &&
              (n.recipients as any).entityRef === DANA,
          ),
        ).toBe(true);
        expect((await backend.get('/approvals', DANA)).status).toBe(403);
        const noTicket = await backend.post(
          '/approvals/default/unapproved-key',
          { decision: 'approve', reason: 'Looks right' },
          SAM,
        );
        expect(noTicket.status).toBe(400);
        expect(noTicket.body.error.message).toMatch(/ticket/);
        const approved = await backend.post(
          '/approvals/default/unapproved-key',
          {
            decision: 'approve',
            ticket: 'SEC-77',
            reason: 'Access request reviewed',
          },
          SAM,
        );
        expect(approved.status).toBe(200);
        expect((await backend.get('/approvals', SAM)).body.items).toEqual([]);
        await backend.refresh();
        const codes = (await identity('unapproved-key')).status.findings.map(
          (f: any) => f.code,
        );
        expect(codes).not.toContain('unapproved');
        expect(await ledgerKinds('unapproved-key')).toContainEqual({
          kind: 'identity.approved',
          payload: expect.objectContaining({
            decidedBy: SAM,
            ticket: 'SEC-77',
          }),
        });
      });
    });
  });
});
