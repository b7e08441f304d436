import {
  Persona,
  RunningBackend,
  eventually,
  startBackend,
} from '../support/backend';
import { exampleIdentities } from '../support/examples';

jest.setTimeout(240_000);

const PAYMENTS = 'group:default/payments';
const DANA = 'user:default/dana.reyes';
const SAM = 'user:default/sam.okafor';
const SERIOUS = ['high', 'critical'];
const EXCEPTABLE = ['long-lived', 'rotation-overdue', 'overprivileged'];
const PERIOD = 'system-test-recertification';

const nameOf = (ref: string) => ref.slice(ref.indexOf('/') + 1);
// A backend outside production adds the stack to an error body; production
// callers never see it, so refusals are compared without it.
const withoutStack = ({ stack: _stack, ...error }: Record<string, unknown>) =>
  error;
const paymentsIdentities = exampleIdentities
  .filter(i => i.spec.owner === 'group:payments')
  .map(i => `machineidentity:default/${i.metadata.name}`)
  .sort();

/**
 * One recertification from start to close, through the personas of the example portal: security
 * (sam.okafor) runs the campaign and approves, the payments owner (dana.reyes) decides, and a
 * platform engineer (marcus.bennett) owns none of it. The steps build on each other and run in
 * order. The review cadence may start a campaign of its own while this runs, so everything is
 * looked at within this test's campaign.
 */
describe('recertification on the example organisation', () => {
  let backend: RunningBackend;

  type Caller = Persona | 'service';
  const tokenOf = (who: Caller) =>
    who === 'service'
      ? Promise.resolve(backend.serviceToken)
      : backend.tokenFor(who);
  /** A call as a persona or the service, whatever the answer. */
  const call = async (
    who: Caller,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ) =>
    backend.request(path, {
      method,
      token: await tokenOf(who),
      ...(body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
  /** The same, throwing unless the answer is a 2xx. */
  const ok = async (
    who: Caller,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ) => {
    const { status, body: answer } = await call(who, method, path, body);
    if (status < 200 || status > 299) {
      throw new Error(
        `${method} ${path} as ${who}: ${status} ${JSON.stringify(answer)}`,
      );
    }
    return answer;
  };
  /** An identity as a backend service sees it: identity (with status) and ledger, newest first. */
  const details = (ref: string) =>
    ok('service', 'GET', `/api/nhi/identities/default/${nameOf(ref)}`);
  const openFindings = async (ref: string) =>
    (await details(ref)).identity.status.findings.filter(
      (f: any) => !f.exception,
    );
  const notifications = async (persona: Persona, topic: string) =>
    (
      await ok(
        persona,
        'GET',
        `/api/notifications/notifications?topic=${topic}&limit=100`,
      )
    ).notifications;
  const decide = (who: Caller, itemId: string, body: unknown) =>
    call(who, 'POST', `/api/nhi/review-items/${itemId}/decision`, body);

  let campaignId: string;
  /** Dana's items in this campaign, by identity ref. */
  const items = new Map<string, any>();
  /** Which items the steps used, by role. */
  let acknowledged: any;
  let bulk: any[];
  let batchId: string;
  let escalated: any;

  beforeAll(async () => {
    backend = await startBackend({ discovery: false });
    await eventually('every example identity to have a status', async () => {
      const { items: all, totalItems } = await ok(
        'service',
        'GET',
        '/api/nhi/identities?limit=500',
      );
      return totalItems === exampleIdentities.length &&
        all.every((i: any) => i.status)
        ? true
        : undefined;
    });
  });

  afterAll(async () => {
    await backend?.stop();
  });

  it('signs the personas in as their catalog users, with their groups', async () => {
    const identities = await Promise.all(
      (['owner', 'security', 'platform'] as const).map(async persona => {
        const res = await fetch(
          `${backend.baseUrl}/api/auth/persona-${persona}/refresh`,
          { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
        );
        return (await res.json()).backstageIdentity.identity;
      }),
    );
    expect(identities).toEqual([
      {
        type: 'user',
        userEntityRef: DANA,
        ownershipEntityRefs: [DANA, PAYMENTS],
      },
      {
        type: 'user',
        userEntityRef: SAM,
        ownershipEntityRefs: [SAM, 'group:default/security'],
      },
      {
        type: 'user',
        userEntityRef: 'user:default/marcus.bennett',
        ownershipEntityRefs: [
          'user:default/marcus.bennett',
          'group:default/platform',
        ],
      },
    ]);
  });

  it('lets only security start a campaign', async () => {
    const body = { period: PERIOD, scope: { owner: [PAYMENTS] } };
    const refused = await call('owner', 'POST', '/api/nhi/campaigns', body);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('nhi.campaign.manage');

    const campaign = await ok('security', 'POST', '/api/nhi/campaigns', body);
    campaignId = campaign.id;
    const progress = {
      total: paymentsIdentities.length,
      decided: 0,
      pending: paymentsIdentities.length,
      escalated: 0,
      overdue: 0,
    };
    expect(campaign).toMatchObject({
      period: PERIOD,
      scope: { owner: [PAYMENTS] },
      status: 'open',
      origin: 'manual',
      createdBy: SAM,
      progress,
      byGroup: [{ group: PAYMENTS, ...progress }],
    });
  });

  it("shows the owner her team's pending items, each with a snapshot", async () => {
    const mine = await ok('owner', 'GET', '/api/nhi/review-items/mine');
    for (const item of mine.items) {
      if (item.campaignId === campaignId) items.set(item.identity, item);
    }
    expect([...items.keys()].sort()).toEqual(paymentsIdentities);
    for (const [ref, item] of items) {
      const { identity, ledger } = await details(ref);
      expect(item).toMatchObject({
        period: PERIOD,
        assignee: PAYMENTS,
        state: 'pending',
        snapshotHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        snapshot: {
          identity: ref,
          owner: PAYMENTS,
          purpose: expect.stringMatching(/\S/),
          scopes: identity.scopes,
          findings: expect.any(Array),
        },
      });
      expect(item.snapshot.purpose).toBe(identity.purpose);
      expect(item.decision).toBeUndefined();
      // The snapshot lists the findings open when the campaign opened.
      expect(item.snapshot.findings.map((f: any) => f.code).sort()).toEqual(
        identity.status.findings
          .filter((f: any) => !f.exception)
          .map((f: any) => f.code)
          .sort(),
      );
      // Each assignment is in the identity's ledger, with the snapshot's hash.
      expect(ledger).toContainEqual(
        expect.objectContaining({
          kind: 'review.assigned',
          subject: ref,
          payload: expect.objectContaining({
            campaignId,
            itemId: item.id,
            assignee: PAYMENTS,
            snapshotHash: item.snapshotHash,
          }),
        }),
      );
    }
  });

  it('tells each owner once, in one message listing all their items', async () => {
    const opened = await eventually('the campaign-opened message', async () => {
      const mine = (await notifications('owner', 'nhi.campaign.opened')).filter(
        (n: any) => n.payload.scope === `nhi:campaign:${campaignId}:opened`,
      );
      return mine.length ? mine : undefined;
    });
    expect(opened).toHaveLength(1);
    expect(opened[0].payload.title).toContain(
      `Recertification ${PERIOD} is open: ${items.size} machine identities`,
    );
    const lines = opened[0].payload.description.split('\n');
    expect(lines).toEqual(paymentsIdentities.map(ref => `• ${ref}`));
  });

  it('asks the owner to acknowledge open high findings before she certifies', async () => {
    for (const [ref, item] of items) {
      const serious = (await openFindings(ref)).filter((f: any) =>
        SERIOUS.includes(f.severity),
      );
      if (serious.length) {
        acknowledged = { ...item, serious: serious.map((f: any) => f.code) };
        break;
      }
    }
    expect(acknowledged).toBeDefined();
    const bare = await decide('owner', acknowledged.id, {
      decision: 'certify',
      justification: 'Still needed by its components',
    });
    expect(bare.status).toBe(400);
    for (const code of acknowledged.serious) {
      expect(bare.body.error.message).toContain(code);
    }

    const acknowledgements = Object.fromEntries(
      acknowledged.serious.map((code: string) => [
        code,
        `Known: ${code} is tracked in PAY-77 and fixed this quarter`,
      ]),
    );
    const certified = await decide('owner', acknowledged.id, {
      decision: 'certify',
      justification: 'Still needed by its components',
      acknowledgements,
    });
    expect(certified.status).toBe(200);
    expect(certified.body).toMatchObject({
      version: 1,
      decision: 'certify',
      decidedBy: DANA,
      acknowledgements,
    });
    expect(certified.body.batchId).toBeUndefined();

    const { ledger } = await details(acknowledged.identity);
    const kinds = ledger
      .filter((e: any) => e.payload.itemId === acknowledged.id)
      .map((e: any) => e.kind);
    // Newest first: the decision after the assignment.
    expect(kinds).toEqual(['review.decided', 'review.assigned']);
    expect(
      ledger.find(
        (e: any) =>
          e.kind === 'review.decided' && e.payload.itemId === acknowledged.id,
      ).payload,
    ).toMatchObject({
      campaignId,
      version: 1,
      decision: 'certify',
      decidedBy: DANA,
      acknowledgements,
      snapshotHash: acknowledged.snapshotHash,
    });
  });

  it('takes a bulk decision with one justification, recorded on every item', async () => {
    bulk = [];
    for (const [ref, item] of items) {
      if (item.id === acknowledged.id) continue;
      const serious = (await openFindings(ref)).filter((f: any) =>
        SERIOUS.includes(f.severity),
      );
      if (!serious.length) bulk.push(item);
      if (bulk.length === 2) break;
    }
    expect(bulk).toHaveLength(2);
    const justification = 'Reviewed with the team on Monday: all in use';
    const { batchId: id, decisions } = await ok(
      'owner',
      'POST',
      '/api/nhi/review-items/decisions',
      {
        justification,
        decisions: bulk.map(item => ({ itemId: item.id, decision: 'certify' })),
      },
    );
    batchId = id;
    expect(batchId).toEqual(expect.any(String));
    expect(decisions).toEqual(
      bulk.map(() =>
        expect.objectContaining({
          version: 1,
          decision: 'certify',
          justification,
          decidedBy: DANA,
          batchId,
        }),
      ),
    );
    for (const item of bulk) {
      const { ledger } = await details(item.identity);
      expect(ledger).toContainEqual(
        expect.objectContaining({
          kind: 'review.decided',
          payload: expect.objectContaining({
            itemId: item.id,
            justification,
            batchId,
          }),
        }),
      );
    }
  });

  it('refuses a bulk decision whole when one item in it is refused', async () => {
    const [pendingRef] = [...items.keys()].filter(
      ref =>
        ref !== acknowledged.identity &&
        !bulk.some(item => item.identity === ref),
    );
    const pending = items.get(pendingRef);
    const { status } = await call(
      'owner',
      'POST',
      '/api/nhi/review-items/decisions',
      {
        justification: 'Mixed batch',
        decisions: [
          { itemId: pending.id, decision: 'revoke' },
          { itemId: 'no-such-item', decision: 'certify' },
        ],
      },
    );
    expect(status).toBe(404);
    const after = await ok(
      'owner',
      'GET',
      `/api/nhi/review-items/${pending.id}`,
    );
    expect(after.state).toBe('pending');
    expect(after.history).toEqual([]);
  });

  it('refuses decisions from another team and from a machine principal', async () => {
    const [pendingRef] = [...items.keys()].filter(
      ref =>
        ref !== acknowledged.identity &&
        !bulk.some(item => item.identity === ref),
    );
    const pending = items.get(pendingRef);
    const body = { decision: 'revoke', justification: 'Not ours to keep' };

    // Another team is told what it would be told of an item that is not
    // there: the same 404, naming neither the identity nor its owners.
    const platform = await decide('platform', pending.id, body);
    const missingId = '00000000-0000-4000-8000-000000000000';
    const missing = await decide('platform', missingId, body);
    expect(platform.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(withoutStack(platform.body.error)).toEqual({
      ...withoutStack(missing.body.error),
      message: missing.body.error.message.replace(missingId, pending.id),
    });
    expect(JSON.stringify(platform.body)).not.toContain(pendingRef);
    expect(JSON.stringify(platform.body)).not.toContain(PAYMENTS);
    const service = await decide('service', pending.id, body);
    expect(service.status).toBe(403);
    expect(service.body.error.message).toContain('machine principal');
    const serviceBulk = await call(
      'service',
      'POST',
      '/api/nhi/review-items/decisions',
      { justification: 'x', decisions: [{ itemId: pending.id, ...body }] },
    );
    expect(serviceBulk.status).toBe(403);

    // Another team neither sees the item nor finds it in its own list.
    expect(
      (await call('platform', 'GET', `/api/nhi/review-items/${pending.id}`))
        .status,
    ).toBe(404);
    const platformItems = await ok(
      'platform',
      'GET',
      '/api/nhi/review-items/mine',
    );
    expect(
      platformItems.items.filter((i: any) => i.campaignId === campaignId),
    ).toEqual([]);
    // Nothing was recorded.
    const after = await ok(
      'owner',
      'GET',
      `/api/nhi/review-items/${pending.id}`,
    );
    expect(after.state).toBe('pending');
  });

  it('keeps every version when the owner changes a decision', async () => {
    const changed = bulk[1];
    const scope = changed.snapshot.scopes[0];
    const second = await decide('owner', changed.id, {
      decision: 'reduce-scope',
      justification: 'On reflection it only needs read access',
      scopesToRemove: [scope],
    });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ version: 2, decision: 'reduce-scope' });

    const item = await ok(
      'owner',
      'GET',
      `/api/nhi/review-items/${changed.id}`,
    );
    expect(item.state).toBe('decided');
    expect(item.decision).toMatchObject({
      version: 2,
      decision: 'reduce-scope',
      scopesToRemove: [scope],
    });
    expect(item.history).toEqual([
      expect.objectContaining({ version: 1, decision: 'certify', batchId }),
      expect.objectContaining({
        version: 2,
        decision: 'reduce-scope',
        decidedBy: DANA,
      }),
    ]);
    expect(item.history[1].batchId).toBeUndefined();
    // The reduction is work for the owner, open until the catalog shows the scope gone.
    expect(item.remediations).toEqual([
      expect.objectContaining({
        kind: 'reduce-scope',
        scopesToRemove: [scope],
      }),
    ]);
    expect(item.remediations[0].closedAt).toBeUndefined();
    expect(item.ledger.map((e: any) => e.kind)).toEqual(
      expect.arrayContaining([
        'review.assigned',
        'review.decided',
        'remediation.opened',
      ]),
    );
    expect(
      item.ledger
        .filter((e: any) => e.kind === 'review.decided')
        .map((e: any) => e.payload.version),
    ).toEqual([2, 1]);
  });

  it('tells security once when the owner escalates an item', async () => {
    const [ref] = [...items.keys()].filter(
      r => r !== acknowledged.identity && !bulk.some(i => i.identity === r),
    );
    escalated = items.get(ref);
    const answer = await decide('owner', escalated.id, {
      decision: 'escalate',
      justification: 'We cannot tell who still uses it',
    });
    expect(answer.status).toBe(200);
    expect(
      (await ok('owner', 'GET', `/api/nhi/review-items/${escalated.id}`)).state,
    ).toBe('escalated');

    const messages = await eventually('the escalation message', async () => {
      const found = await notifications('security', 'nhi.review.escalated');
      return found.length ? found : undefined;
    });
    expect(messages).toHaveLength(1);
    expect(messages[0].payload).toMatchObject({
      title: '1 machine identity escalated to security',
      severity: 'high',
    });
    expect(messages[0].payload.description).toBe(
      `• ${escalated.identity}, owned by ${PAYMENTS} (${PERIOD})`,
    );
    // The owner hears nothing of it: she is not security.
    expect(await notifications('owner', 'nhi.review.escalated')).toEqual([]);
  });

  it("shows the campaign's progress, overall and for the team", async () => {
    const campaign = await ok(
      'security',
      'GET',
      `/api/nhi/campaigns/${campaignId}`,
    );
    const progress = {
      total: items.size,
      decided: 3,
      pending: items.size - 3,
      escalated: 1,
      overdue: 0,
    };
    expect(campaign.progress).toEqual(progress);
    expect(campaign.byGroup).toEqual([{ group: PAYMENTS, ...progress }]);
    const decided = await ok(
      'owner',
      'GET',
      `/api/nhi/campaigns/${campaignId}/items?state=decided`,
    );
    expect(decided.items.map((i: any) => i.identity).sort()).toEqual(
      [acknowledged, ...bulk].map(i => i.identity).sort(),
    );
  });

  describe('exceptions', () => {
    let identity: string;
    let finding: string;
    let exceptionId: string;

    it('takes a request from the owner and tells security', async () => {
      // A payments identity with a finding an exception can cover (today's dates decide which).
      for (const ref of paymentsIdentities) {
        const open = (await openFindings(ref)).find((f: any) =>
          EXCEPTABLE.includes(f.code),
        );
        if (open) {
          identity = ref;
          finding = open.code;
          break;
        }
      }
      expect(identity).toBeDefined();
      const expiresAt = new Date(Date.now() + 90 * 86_400_000).toISOString();
      const { status, body } = await call(
        'owner',
        'POST',
        '/api/nhi/exceptions',
        {
          identity,
          finding,
          justification: 'The partner pins this certificate until March',
          compensatingControls: 'Certificate transparency monitoring',
          expiresAt,
        },
      );
      expect(status).toBe(201);
      expect(body).toMatchObject({
        identity,
        finding,
        requestedBy: DANA,
        status: 'pending',
      });
      exceptionId = body.id;

      const messages = await eventually('the exception message', async () => {
        const found = await notifications(
          'security',
          'nhi.exception.requested',
        );
        return found.length ? found : undefined;
      });
      expect(messages).toHaveLength(1);
      expect(messages[0].payload.title).toBe(
        `Exception requested for ${identity}`,
      );
    });

    it('refuses a request for an identity of another team as if it were not there', async () => {
      const request = (ref: string) =>
        call('platform', 'POST', '/api/nhi/exceptions', {
          identity: ref,
          finding,
          justification: 'Not ours',
          compensatingControls: 'None',
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        });
      const missingRef = 'machineidentity:default/no-such-identity';
      const theirs = await request(identity);
      const missing = await request(missingRef);
      expect(theirs.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(withoutStack(theirs.body.error)).toEqual({
        ...withoutStack(missing.body.error),
        message: missing.body.error.message.replace(missingRef, identity),
      });
    });

    it('lets security approve it, never the owner who asked', async () => {
      const own = await call(
        'owner',
        'POST',
        `/api/nhi/exceptions/${exceptionId}/approve`,
        { reason: 'I vouch for it' },
      );
      expect(own.status).toBe(403);
      expect(own.body.error.message).toContain('nhi.exception.approve');

      const approved = await ok(
        'security',
        'POST',
        `/api/nhi/exceptions/${exceptionId}/approve`,
        { reason: 'Compensating controls are adequate' },
      );
      expect(approved).toMatchObject({
        id: exceptionId,
        status: 'approved',
        decidedBy: SAM,
      });
    });

    it('marks the finding excepted, and records request and approval', async () => {
      await ok('service', 'POST', '/api/nhi/refresh');
      const excepted = await eventually(
        `${finding} on ${identity} to be excepted`,
        async () => {
          const found = (await details(identity)).identity.status.findings.find(
            (f: any) => f.code === finding,
          );
          return found?.exception ? found : undefined;
        },
        30_000,
      );
      expect(excepted.exception).toMatchObject({
        id: exceptionId,
        approvedBy: SAM,
      });
      const { ledger } = await details(identity);
      const kinds = ledger
        .filter((e: any) => e.payload.exceptionId === exceptionId)
        .map((e: any) => e.kind);
      expect(kinds).toEqual(['exception.approved', 'exception.requested']);
    });
  });

  describe('approvals', () => {
    const UNAPPROVED = 'machineidentity:default/growth-experiments-key';

    it("queues identities nobody approved, for security's eyes only", async () => {
      const queue = await ok('security', 'GET', '/api/nhi/approvals');
      expect(queue.items.map((i: any) => i.identity)).toContain(UNAPPROVED);
      expect(
        queue.items.find((i: any) => i.identity === UNAPPROVED),
      ).toMatchObject({ owner: 'group:default/growth' });
      expect((await call('owner', 'GET', '/api/nhi/approvals')).status).toBe(
        403,
      );
    });

    it('approves one with a ticket, which clears it from the queue and its finding', async () => {
      const path = `/api/nhi/approvals/default/${nameOf(UNAPPROVED)}`;
      const noTicket = await call('security', 'POST', path, {
        decision: 'approve',
        reason: 'Looks fine',
      });
      expect(noTicket.status).toBe(400);
      const record = await ok('security', 'POST', path, {
        decision: 'approve',
        ticket: 'SEC-2001',
        reason: 'Scoped to the experiment flags only',
      });
      expect(record).toMatchObject({
        identity: UNAPPROVED,
        decision: 'approved',
        decidedBy: SAM,
        ticket: 'SEC-2001',
      });
      const queue = await ok('security', 'GET', '/api/nhi/approvals');
      expect(queue.items.map((i: any) => i.identity)).not.toContain(UNAPPROVED);

      await ok('service', 'POST', '/api/nhi/refresh');
      await eventually(
        `${UNAPPROVED} to lose its unapproved finding`,
        async () =>
          (
            await openFindings(UNAPPROVED)
          ).some((f: any) => f.code === 'unapproved')
            ? undefined
            : true,
        30_000,
      );
      const { ledger } = await details(UNAPPROVED);
      expect(ledger).toContainEqual(
        expect.objectContaining({
          kind: 'identity.approved',
          payload: expect.objectContaining({
            decidedBy: SAM,
            ticket: 'SEC-2001',
          }),
        }),
      );
    });
  });

  it('lets security decide an escalated item, which owns none of it', async () => {
    const decided = await decide('security', escalated.id, {
      decision: 'revoke',
      justification: 'Nobody could name a user: revoke it',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({
      version: 2,
      decision: 'revoke',
      decidedBy: SAM,
    });
    // Security decides escalated items only; a pending one stays with its owner.
    const [pendingRef] = [...items.keys()].filter(
      ref => ![acknowledged, ...bulk, escalated].some(i => i.identity === ref),
    );
    const pending = await decide('security', items.get(pendingRef).id, {
      decision: 'certify',
      justification: 'Looks fine to us',
    });
    expect(pending.status).toBe(403);
  });

  it('closes the campaign, after which decisions are refused', async () => {
    expect(
      (await call('owner', 'POST', `/api/nhi/campaigns/${campaignId}/close`))
        .status,
    ).toBe(403);
    const closed = await ok(
      'security',
      'POST',
      `/api/nhi/campaigns/${campaignId}/close`,
    );
    expect(closed).toMatchObject({
      status: 'closed',
      closedAt: expect.any(String),
      progress: { decided: 4, escalated: 0 },
    });

    const late = await decide('owner', acknowledged.id, {
      decision: 'revoke',
      justification: 'Too late',
    });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('closed');
    // Closed campaigns leave the owner's list of work.
    const mine = await ok('owner', 'GET', '/api/nhi/review-items/mine');
    expect(mine.items.filter((i: any) => i.campaignId === campaignId)).toEqual(
      [],
    );
  });
});
