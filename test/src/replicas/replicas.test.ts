import { readPackageFiles, verifyPackage } from '@nhi-governance/nhi-evidence';
import { createPublicKey } from 'crypto';
import { eventually, ledgerSigningKey } from '../support/backend';
import { exampleIdentities } from '../support/examples';
import {
  Replica,
  Replicas,
  download,
  startReplicas,
} from '../support/replicas';

jest.setTimeout(180_000);

const RUN = Date.now().toString(36);
const PAYMENTS = 'group:default/payments';
/** A credential list in app-config.yaml, authoritative for the account's IAM users. */
const SOURCE = 'aws-example';
/** How a replica refuses a job another replica (or itself) is running. */
const BUSY = /is already running, since \d{4}-\d\d-\d\dT/;

const declaredRefs = exampleIdentities
  .map(i => `machineidentity:default/${i.metadata.name}`)
  .sort();
const payments = exampleIdentities
  .filter(i => i.spec.owner === 'group:payments')
  .map(i => i.metadata.name as string);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

type Who = 'service' | 'security' | 'owner';
interface Answer {
  replica: string;
  method: string;
  path: string;
  status: number;
  body: any;
}

/**
 * Production runs several backend replicas on one PostgreSQL database behind a load balancer,
 * so any request may land on any of them at the same moment as another. Two real example
 * backends share one fresh set of PostgreSQL databases here, and each test sends the same work
 * to both at once: what an owner, security or an auditor sees afterwards must be what one
 * backend would have shown. Jobs that must not run twice (catalog sync, discovery read,
 * evidence export, recertification sweep) answer 409 on the second start; everything else is
 * applied exactly once.
 */
describe('two replicas of the backend on one PostgreSQL database', () => {
  let cluster: Replicas;
  let a: Replica;
  let b: Replica;
  const tokens = new Map<Who, string>();
  /** Every answer either replica gave in this suite. */
  const answers: Answer[] = [];

  const tokenOf = (r: Replica, who: Who) =>
    who === 'service' ? r.serviceToken : tokens.get(who)!;
  /** A call to one replica as someone, whatever the answer; every answer is kept. */
  const call = async (
    r: Replica,
    who: Who,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<Answer> => {
    const res = await r.request(path, {
      method,
      token: tokenOf(r, who),
      ...(body === undefined
        ? {}
        : {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
    });
    const answer = { replica: r.name, method, path, ...res };
    answers.push(answer);
    return answer;
  };
  /** The same, throwing unless the answer is a 2xx. */
  const ok = async (
    r: Replica,
    who: Who,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ) => {
    const answer = await call(r, who, method, path, body);
    if (answer.status < 200 || answer.status > 299) {
      throw new Error(
        `${method} ${path} on replica ${r.name} as ${who}: ${
          answer.status
        } ${JSON.stringify(answer.body)}`,
      );
    }
    return answer.body;
  };
  const describeAnswers = (list: Answer[]) =>
    list
      .map(
        x =>
          `${x.method} ${x.path} on ${x.replica}: ${x.status} ${JSON.stringify(
            x.body,
          ).slice(0, 300)}`,
      )
      .join('\n');

  /**
   * Starts the same job on both replicas at the same moment. A scheduled run of the job (the
   * scheduler runs each on one replica) may hold it just then, and both answer 409: the pair
   * is sent again, a few seconds later.
   */
  const onBothAtOnce = async (
    send: (r: Replica) => Promise<Answer>,
  ): Promise<Answer[]> => {
    for (let attempt = 1; ; attempt++) {
      const pair = await Promise.all([a, b].map(send));
      if (pair.some(x => x.status !== 409) || attempt === 10) return pair;
      await new Promise(r => setTimeout(r, 3000));
    }
  };
  /** One 200, and the other a 200 or the 409 that names the running job. */
  const expectOneRanTheOtherWaited = (pair: Answer[]) => {
    expect(pair.map(x => x.status)).toContain(200);
    for (const x of pair.filter(p => p.status !== 200)) {
      expect({ status: x.status, message: x.body?.error?.message }).toEqual({
        status: 409,
        message: expect.stringMatching(BUSY),
      });
    }
  };
  /** Exactly one 200 and one 409 naming the running job, in either order. */
  const expectOneRanOneRefused = (pair: Answer[]) => {
    const sorted = [...pair].sort((x, y) => x.status - y.status);
    expect(sorted.map(x => x.status)).toEqual([200, 409]);
    expect(sorted[1].body.error.message).toMatch(BUSY);
  };

  /** Every identity a replica lists, removed ones included, by name. */
  const identities = async (r: Replica, query = '') =>
    (
      await ok(
        r,
        'service',
        'GET',
        `/api/nhi/identities?limit=500&includeRemoved=true&sort=name&order=asc${query}`,
      )
    ).items as any[];
  const details = (r: Replica, name: string) =>
    ok(r, 'service', 'GET', `/api/nhi/identities/default/${name}`);

  beforeAll(async () => {
    cluster = await startReplicas(2);
    [a, b] = cluster.replicas;
    // A user signs in once, on whichever replica the load balancer picks; the token is good
    // on every replica (their signing keys are in the shared database).
    tokens.set('security', await a.tokenFor('security'));
    tokens.set('owner', await b.tokenFor('owner'));
    // The first scheduled sync, on whichever replica took it, registers the example's identities.
    await eventually(
      'every declared identity to have a status, on both replicas',
      async () => {
        for (const r of [a, b]) {
          const declared = (await identities(r)).filter(
            i => i.source === 'catalog',
          );
          if (
            declared.length !== declaredRefs.length ||
            !declared.every(i => i.status)
          ) {
            return undefined;
          }
        }
        return true;
      },
      120_000,
    );
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('syncs the catalog once when both replicas are asked at the same moment', async () => {
    const pair = await onBothAtOnce(r =>
      call(r, 'service', 'POST', '/api/nhi/refresh'),
    );
    expectOneRanTheOtherWaited(pair);
    for (const x of pair.filter(p => p.status === 200)) {
      expect(x.body).toEqual({ status: 'refreshed' });
    }

    // Both replicas list the same declared identities, each once, none removed.
    for (const r of [a, b]) {
      const all = await identities(r);
      const refs = all.map(i => i.ref);
      expect(refs).toEqual([...new Set(refs)]);
      const declared = all.filter(i => i.source === 'catalog');
      expect(declared.map(i => i.ref).sort()).toEqual(declaredRefs);
      expect(declared.filter(i => i.removedAt)).toEqual([]);
    }
    // Each was registered once, whichever replica synced.
    const { ledger } = await details(b, payments[0]);
    expect(
      ledger.filter((e: any) => e.kind === 'identity.registered'),
    ).toHaveLength(1);
  });

  it('applies each event once, whichever replica receives it and however often', async () => {
    const [usedName, rotatedName] = payments;
    const at = new Date().toISOString();
    const today = at.slice(0, 10);
    const used = (id: string, count: number) => ({
      id: `${RUN}-${id}`,
      type: 'used',
      occurredAt: at,
      identity: { ref: `machineidentity:default/${usedName}` },
      count,
      sourceIp: '10.20.30.40',
    });
    const rotated = (id: string, minutesAgo: number) => ({
      id: `${RUN}-${id}`,
      type: 'rotated',
      occurredAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
      identity: { ref: `machineidentity:default/${rotatedName}` },
      actor: 'vault-rotator',
    });
    const usesToday = async (r: Replica) =>
      (await details(r, usedName)).usage.find((u: any) => u.day === today)
        ?.uses ?? 0;
    const before = await usesToday(a);

    // The same batch to both replicas, and a batch of its own to each, all at once.
    const same = [used('same-1', 3), used('same-2', 5), rotated('same', 5)];
    const onlyA = [used('a-1', 7), rotated('a', 4)];
    const onlyB = [used('b-1', 11), rotated('b', 3)];
    const post = (r: Replica, events: unknown[]) =>
      call(r, 'service', 'POST', '/api/nhi/events', { events });
    const sent = await Promise.all([
      post(a, same),
      post(b, same),
      post(a, onlyA),
      post(b, onlyB),
    ]);
    expect(sent.map(x => x.status)).toEqual([200, 200, 200, 200]);
    const [sameA, sameB, toA, toB] = sent.map(x => x.body);
    expect(sameA.accepted + sameB.accepted).toBe(same.length);
    expect(sameA.duplicates + sameB.duplicates).toBe(same.length);
    expect(toA).toEqual({ accepted: onlyA.length, duplicates: 0 });
    expect(toB).toEqual({ accepted: onlyB.length, duplicates: 0 });

    // A collector that retries everything, on both replicas at once, changes nothing.
    const everything = [...same, ...onlyA, ...onlyB];
    const replays = await Promise.all([a, b].map(r => post(r, everything)));
    for (const replay of replays) {
      expect({ status: replay.status, body: replay.body }).toEqual({
        status: 200,
        body: { accepted: 0, duplicates: everything.length },
      });
    }

    // The owner sees each use counted once, on either replica.
    for (const r of [a, b]) {
      expect(await usesToday(r)).toBe(before + 3 + 5 + 7 + 11);
    }
    // And each rotation once, in the identity's events and in its ledger.
    const rotations = [`${RUN}-same`, `${RUN}-a`, `${RUN}-b`].sort();
    for (const r of [a, b]) {
      const { events, ledger } = await details(r, rotatedName);
      expect(
        events
          .map((e: any) => e.id)
          .filter((id: string) => id.startsWith(RUN))
          .sort(),
      ).toEqual(rotations);
      expect(
        ledger
          .filter(
            (e: any) =>
              e.kind === 'event.ingested' && e.payload.id.startsWith(RUN),
          )
          .map((e: any) => e.payload.id)
          .sort(),
      ).toEqual(rotations);
    }
  });

  it('counts each use once when overlapping batches reach both replicas at once', async () => {
    const name = payments[2];
    const at = new Date().toISOString();
    const today = at.slice(0, 10);
    const usesToday = async (r: Replica) =>
      (await details(r, name)).usage.find((u: any) => u.day === today)?.uses ??
      0;
    const before = await usesToday(b);
    // Twelve uses, 1 to 12 calls each; nine batches of four consecutive ones, alternately to
    // each replica: every use is in up to four batches, on both replicas.
    const uses = range(12).map(n => ({
      id: `${RUN}-window-${n}`,
      type: 'used',
      occurredAt: at,
      identity: { ref: `machineidentity:default/${name}` },
      count: n,
    }));
    const batches = range(9).map(n => uses.slice(n - 1, n + 3));
    const sent = await Promise.all(
      batches.map((events, n) =>
        call(n % 2 ? b : a, 'service', 'POST', '/api/nhi/events', { events }),
      ),
    );
    expect(describeAnswers(sent.filter(x => x.status !== 200))).toBe('');
    const total = (key: 'accepted' | 'duplicates') =>
      sent.reduce((sum, x) => sum + x.body[key], 0);
    expect(total('accepted')).toBe(uses.length);
    expect(total('duplicates')).toBe(batches.flat().length - uses.length);
    for (const r of [a, b]) {
      expect(await usesToday(r)).toBe(before + (12 * 13) / 2);
    }
  });

  /** This suite's campaign and its review items. */
  let campaignId: string;
  let decidedItems: string[] = [];

  describe('recertification', () => {
    it('keeps one campaign, seen by both replicas', async () => {
      const period = `replicas-${RUN}`;
      const campaign = await ok(a, 'security', 'POST', '/api/nhi/campaigns', {
        period,
        scope: { owner: [PAYMENTS] },
      });
      campaignId = campaign.id;
      // Every identity payments owns: those it declared, and any that the scheduled discovery
      // read (30 s after start) found and inferred as its own before the campaign opened.
      expect(campaign).toMatchObject({ period, status: 'open' });
      expect(campaign.progress.total).toBeGreaterThanOrEqual(payments.length);
      expect(campaign.progress.pending).toBe(campaign.progress.total);
      for (const r of [a, b]) {
        const { items } = await ok(r, 'security', 'GET', '/api/nhi/campaigns');
        expect(
          items.filter((c: any) => c.period === period).map((c: any) => c.id),
        ).toEqual([campaignId]);
      }
    });

    it('takes overlapping bulk decisions sent to both replicas, each a version of its item', async () => {
      const { items } = await ok(
        b,
        'security',
        'GET',
        `/api/nhi/campaigns/${campaignId}/items?limit=500`,
      );
      expect(
        payments.filter(
          name => !items.some((i: any) => i.identity.endsWith(`/${name}`)),
        ),
      ).toEqual([]);
      const ids: string[] = items.map((i: any) => i.id);
      decidedItems = ids;
      // 16 batches, half to each replica, each naming three items in four, in its own order:
      // every item is in 12 of them, and every two batches share items.
      const batches = range(16).map(n => {
        const chosen = ids.filter((_, i) => (i + n) % 4 !== 0);
        const turn = n % chosen.length;
        return {
          replica: n % 2 ? b : a,
          justification: `Replica batch ${n}: reviewed with the payments team`,
          itemIds:
            n % 2
              ? [...chosen].reverse()
              : [...chosen.slice(turn), ...chosen.slice(0, turn)],
        };
      });
      const results = await Promise.all(
        batches.map(batch =>
          call(
            batch.replica,
            'owner',
            'POST',
            '/api/nhi/review-items/decisions',
            {
              justification: batch.justification,
              decisions: batch.itemIds.map(itemId => ({
                itemId,
                decision: 'revoke',
              })),
            },
          ),
        ),
      );
      const refused = results.filter(x => x.status !== 200);
      expect(describeAnswers(refused)).toBe('');

      for (const id of ids) {
        const deciding = batches.filter(batch => batch.itemIds.includes(id));
        // The versions the answers gave this item: 1 to n, each once.
        const answered = results
          .flatMap((x, n) =>
            x.body.decisions.filter(
              (_: unknown, j: number) => batches[n].itemIds[j] === id,
            ),
          )
          .map((d: any) => d.version)
          .sort((x: number, y: number) => x - y);
        expect(answered).toEqual(range(deciding.length));
        // The item's history says the same on either replica, with each batch's justification.
        for (const r of [a, b]) {
          const item = await ok(
            r,
            'security',
            'GET',
            `/api/nhi/review-items/${id}`,
          );
          expect(item.history.map((h: any) => h.version)).toEqual(
            range(deciding.length),
          );
          expect(item.history.map((h: any) => h.justification).sort()).toEqual(
            deciding.map(batch => batch.justification).sort(),
          );
          expect(item.decision.version).toBe(deciding.length);
        }
      }
      const campaign = await ok(
        a,
        'security',
        'GET',
        `/api/nhi/campaigns/${campaignId}`,
      );
      expect(campaign.progress).toMatchObject({
        total: decidedItems.length,
        decided: decidedItems.length,
        pending: 0,
      });
    });

    it('starts one scheduled campaign for the period however many replicas run the sweep', async () => {
      const pair = await onBothAtOnce(r =>
        call(r, 'security', 'POST', '/api/nhi/reviews/sweep'),
      );
      expectOneRanTheOtherWaited(pair);
      for (const r of [a, b]) {
        const { items } = await ok(r, 'security', 'GET', '/api/nhi/campaigns');
        expect(
          items
            .filter((c: any) => c.origin === 'schedule')
            .map((c: any) => c.period),
        ).toHaveLength(1);
      }
    });

    it("answers decisions racing the campaign's close on the other replica with 200 or 409, keeping each item's versions whole", async () => {
      const versionsBefore = new Map<string, number>();
      for (const id of decidedItems) {
        versionsBefore.set(
          id,
          (await ok(b, 'security', 'GET', `/api/nhi/review-items/${id}`))
            .history.length,
        );
      }
      const batches = range(8).map(n => ({
        replica: n % 2 ? a : b,
        itemIds: n % 2 ? [...decidedItems].reverse() : decidedItems,
      }));
      const decide = (batch: (typeof batches)[number], n: number) =>
        call(
          batch.replica,
          'owner',
          'POST',
          '/api/nhi/review-items/decisions',
          {
            justification: `Last look ${n} before the close`,
            decisions: batch.itemIds.map(itemId => ({
              itemId,
              decision: 'revoke',
            })),
          },
        );
      const [closed, ...decided] = await Promise.all([
        call(a, 'security', 'POST', `/api/nhi/campaigns/${campaignId}/close`),
        ...batches.map(decide),
      ]);
      expect(closed).toMatchObject({ status: 200, body: { status: 'closed' } });
      // Each batch is taken whole before the close or refused whole after it.
      const refusedOtherwise = decided.filter(
        x =>
          x.status !== 200 &&
          !(x.status === 409 && /not open|closed/i.test(x.body.error.message)),
      );
      expect(describeAnswers(refusedOtherwise)).toBe('');
      // Every batch taken is on each item's history, once. Whether one was taken after the
      // close shows in the ledger's order: see the evidence package below.
      const taken = decided.filter(x => x.status === 200).length;
      for (const id of decidedItems) {
        const item = await ok(
          a,
          'security',
          'GET',
          `/api/nhi/review-items/${id}`,
        );
        expect(item.history.map((h: any) => h.version)).toEqual(
          range(versionsBefore.get(id)! + taken),
        );
      }
    });
  });

  /** When the two discovery reads were sent at once. */
  let pairSentAt: string | undefined;

  describe('discovery', () => {
    const runPath = `/api/nhi/discovery/sources/${SOURCE}/run`;
    const health = async (r: Replica) =>
      (await ok(r, 'security', 'GET', '/api/nhi/discovery/sources')).items.find(
        (s: any) => s.id === SOURCE,
      );
    /** Every credential the source's last good read listed, as either replica tells it. */
    const credentials = async (r: Replica) => {
      const all: any[] = [];
      let after: string | undefined;
      do {
        const page = await ok(
          r,
          'security',
          'GET',
          `/api/nhi/discovery/sources/${SOURCE}/credentials?limit=500${
            after ? `&after=${encodeURIComponent(after)}` : ''
          }`,
        );
        all.push(...page.items);
        after = page.nextAfter;
      } while (after);
      return all;
    };
    /** What the owners and security see of the source's identities. */
    const seen = async (r: Replica) => ({
      credentials: await credentials(r),
      missingAtSource: (await identities(r, '&finding=missing-at-source')).map(
        i => i.ref,
      ),
      removed: (await identities(r)).filter(i => i.removedAt).map(i => i.ref),
    });

    it('reads a source once when both replicas are asked, and loses nothing', async () => {
      // The scheduler's first read of each source comes 30 s after start; let it finish.
      await eventually(
        `the scheduled first read of ${SOURCE}`,
        async () => {
          const s = await health(a);
          return s.runs.length >= 1 &&
            s.runs.every((run: any) => run.status !== 'running')
            ? true
            : undefined;
        },
        120_000,
      );
      // One read on its own: what the source holds.
      const alone = await eventually(
        `a read of ${SOURCE} on its own`,
        async () => {
          const x = await call(a, 'security', 'POST', runPath);
          return x.status === 409 ? undefined : x;
        },
      );
      expect(alone).toMatchObject({ status: 200, body: { status: 'ok' } });
      const before = await seen(b);
      expect(before.credentials.length).toBeGreaterThan(0);
      pairSentAt = new Date().toISOString();

      const pair = await onBothAtOnce(r =>
        call(r, 'security', 'POST', runPath),
      );
      expectOneRanOneRefused(pair);
      const read = pair.find(x => x.status === 200)!;
      expect(read.body).toMatchObject({
        status: 'ok',
        rows: alone.body.rows,
        summary: alone.body.summary,
      });

      // Afterwards both replicas show exactly what one read gives: no credential lost or
      // doubled, no identity removed, no declared identity newly missing at its source.
      for (const r of [a, b]) {
        expect(await seen(r)).toEqual(before);
      }
    });

    it('finds nothing newly missing when one replica reads the source while the other syncs the catalog', async () => {
      const before = await seen(a);
      const [read, sync] = await onBothAtOnce(r =>
        r === a
          ? call(a, 'security', 'POST', runPath)
          : call(b, 'service', 'POST', '/api/nhi/refresh'),
      );
      expect(describeAnswers([read, sync].filter(x => x.status >= 500))).toBe(
        '',
      );
      for (const r of [a, b]) {
        expect(await seen(r)).toEqual(before);
      }
    });
  });

  describe('evidence', () => {
    let zip: Buffer;

    it('builds one package at a time across replicas, and the one built verifies', async () => {
      const today = new Date().toISOString().slice(0, 10);
      const path = `/api/nhi/evidence/package?from=${today}&to=${today}`;
      const token = tokens.get('security')!;
      // Services keep writing on both replicas while the package is built.
      const writes = Promise.all(
        [a, b].map(r =>
          call(r, 'service', 'POST', '/api/nhi/events', {
            events: [
              {
                id: `${RUN}-during-export-${r.name}`,
                type: 'rotated',
                occurredAt: new Date().toISOString(),
                identity: { ref: `machineidentity:default/${payments[1]}` },
              },
            ],
          }),
        ),
      );
      const pair = await Promise.all(
        [a, b].map(async r => {
          const res = await download(r, path, token);
          answers.push({
            replica: r.name,
            method: 'GET',
            path,
            status: res.status,
            body: res.body,
          });
          return res;
        }),
      );
      const sorted = [...pair].sort((x, y) => x.status - y.status);
      expect(sorted.map(x => x.status)).toEqual([200, 409]);
      expect(sorted[1].body.error.message).toMatch(BUSY);
      zip = sorted[0].bytes;
      // Both replicas sign with the portal's one key.
      const result = await verifyPackage(zip, {
        publicKey: createPublicKey(ledgerSigningKey().publicKeyPem),
      });
      expect(result.ok ? [] : result).toEqual([]);
      expect(
        describeAnswers((await writes).filter(x => x.status !== 200)),
      ).toBe('');
    });

    /** The package's ledger.jsonl: the period's entries, as the auditor reads them. */
    const ledgerOfPackage = async () =>
      (await readPackageFiles(zip))
        .get('ledger.jsonl')!
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map(line => JSON.parse(line));

    it('shows the auditor a ledger without a doubled or missing entry', async () => {
      const entries = await ledgerOfPackage();
      const count = (key: (e: any) => string | undefined) => {
        const counts = new Map<string, number>();
        for (const e of entries) {
          const k = key(e);
          if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
        }
        return counts;
      };
      const twice = (counts: Map<string, number>) =>
        [...counts].filter(([, n]) => n > 1).map(([k]) => k);
      // One unbroken sequence.
      expect(entries.map(e => e.seq)).toEqual(
        range(entries.length).map(i => entries[0].seq + i - 1),
      );
      // Each identity registered once.
      const registered = count(e =>
        e.kind === 'identity.registered' ? e.subject : undefined,
      );
      expect(twice(registered)).toEqual([]);
      expect(declaredRefs.filter(ref => !registered.has(ref))).toEqual([]);
      // Each event once.
      expect(
        twice(
          count(e => (e.kind === 'event.ingested' ? e.payload.id : undefined)),
        ),
      ).toEqual([]);
      // Each decision version once.
      expect(
        twice(
          count(e =>
            e.kind === 'review.decided'
              ? `${e.payload.itemId} v${e.payload.version}`
              : undefined,
          ),
        ),
      ).toEqual([]);
      // One campaign per period.
      expect(
        twice(
          count(e =>
            e.kind === 'campaign.created' ? e.payload.period : undefined,
          ),
        ),
      ).toEqual([]);
      // No identity removed by the two discovery reads at once.
      expect(pairSentAt).toBeDefined();
      expect(
        entries.filter(
          e => e.kind === 'identity.removed' && e.recordedAt >= pairSentAt!,
        ),
      ).toEqual([]);
    });

    it("shows the auditor no decision recorded after its campaign's close", async () => {
      const entries = await ledgerOfPackage();
      // The campaign's decisions are final once it closed: none is recorded after the close.
      const closedSeq = entries.find(
        e =>
          e.kind === 'campaign.closed' && e.payload.campaignId === campaignId,
      )?.seq;
      expect(closedSeq).toEqual(expect.any(Number));
      const decidedAfterClose = entries
        .filter(
          e =>
            e.kind === 'review.decided' &&
            e.payload.campaignId === campaignId &&
            e.seq > closedSeq,
        )
        .map(e => ({
          seq: e.seq,
          recordedAt: e.recordedAt,
          itemId: e.payload.itemId,
          version: e.payload.version,
          justification: e.payload.justification,
        }));
      expect({ closedSeq, decidedAfterClose }).toEqual({
        closedSeq,
        decidedAfterClose: [],
      });
    });
  });

  it('keeps one ledger head that verifies on both replicas', async () => {
    // Background work (a status recompute, a scheduled job) may append between two reads:
    // compare the two replicas' answers given at the same moment, until they agree.
    const heads = await eventually(
      'both replicas to report the same ledger head',
      async () => {
        const pair = await Promise.all(
          [a, b].map(r => ok(r, 'service', 'GET', '/api/nhi/ledger/verify')),
        );
        return pair[0].headHash === pair[1].headHash ? pair : undefined;
      },
      30_000,
    );
    for (const head of heads) {
      expect(head).toMatchObject({
        ok: true,
        entries: heads[0].entries,
        headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
  });

  it('never answered a 500', () => {
    expect(answers.length).toBeGreaterThan(50);
    expect(describeAnswers(answers.filter(x => x.status >= 500))).toBe('');
  });
});
