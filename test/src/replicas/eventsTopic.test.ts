import { eventually } from '../support/backend';
import { exampleIdentities } from '../support/examples';
import { Replica, Replicas, startReplicas } from '../support/replicas';

jest.setTimeout(240_000);

const RUN = Date.now().toString(36);
const TOPIC = 'nhi.events';
const TOKEN = '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';
const DROPPED = `Dropped an event batch published on topic "${TOPIC}": `;

const payments = exampleIdentities
  .filter(i => i.spec.owner === 'group:payments')
  .map(i => i.metadata.name as string);
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

/**
 * Usage and lifecycle events also arrive on a topic of Backstage's events service, here through
 * the events backend's HTTP ingress (`events.http.topics`, POST /api/events/http/nhi.events),
 * on two real replicas of the example backend sharing one PostgreSQL (where the events backend
 * keeps its bus in the database). Whichever replica an event is posted to, and however often,
 * it is applied once; a bad payload is logged and dropped, and both replicas carry on.
 */
describe('the nhi events topic on two replicas sharing one PostgreSQL', () => {
  let cluster: Replicas;
  let a: Replica;
  let b: Replica;
  const [usedName, rotatedName, probeName] = payments;
  /** Every answer of the events backend's ingress in this suite. */
  const ingressAnswers: Array<{ replica: string; status: number; body: any }> =
    [];

  /** POSTs a payload to a replica's HTTP ingress for the topic, without credentials. */
  const publishVia = async (r: Replica, payload: unknown) => {
    const res = await fetch(`${r.baseUrl}/api/events/http/${TOPIC}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    const answer = { replica: r.name, status: res.status, body };
    ingressAnswers.push(answer);
    return answer;
  };
  const details = (r: Replica, name: string) =>
    r.fetchJson(`/api/nhi/identities/default/${name}`, {
      token: r.serviceToken,
    });
  const today = () => new Date().toISOString().slice(0, 10);
  const usesToday = async (r: Replica, name: string) =>
    (await details(r, name)).usage.find((u: any) => u.day === today())?.uses ??
    0;
  const used = (id: string, name: string, count: number) => ({
    id: `${RUN}-${id}`,
    type: 'used',
    occurredAt: new Date().toISOString(),
    identity: { ref: `machineidentity:default/${name}` },
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

  /** Posts a use of the probe identity to `r`'s ingress until the probe's uses reach `total`. */
  const probe = (r: Replica, total: number) =>
    eventually(
      `a probe through replica ${r.name}'s ingress to be applied`,
      async () => {
        await publishVia(r, {
          events: [used(`probe-${r.name}`, probeName, 1)],
        });
        return (await usesToday(r, probeName)) >= total ? true : undefined;
      },
      60_000,
    );

  beforeAll(async () => {
    // The ingress for the topic, and no discovery source: nothing else adds today's usage.
    process.env.APP_CONFIG_events_http_topics = JSON.stringify([TOPIC]);
    process.env.APP_CONFIG_nhi_discovery_sources = '[]';
    cluster = await startReplicas(2);
    [a, b] = cluster.replicas;
    await eventually(
      'the identities of the payments team on both replicas',
      async () => {
        for (const r of [a, b]) {
          for (const name of [usedName, rotatedName, probeName]) {
            if (!(await details(r, name)).identity.status) return undefined;
          }
        }
        return true;
      },
      120_000,
    );
    // The topic is live on both replicas once a probe posted to each is counted.
    await probe(a, 1);
    await probe(b, 2);
  });

  afterAll(async () => {
    delete process.env.APP_CONFIG_events_http_topics;
    delete process.env.APP_CONFIG_nhi_discovery_sources;
    await cluster?.stop();
  });

  it('applies each event once, half posted to each replica and some to both', async () => {
    const usedBefore = await usesToday(a, usedName);
    // 24 uses of n calls each: 1–8 to A, 17–24 to B and 9–16 to both, in batches of four, all
    // posted at once; three rotations, one to A, one to B and one to both.
    const uses = range(24).map(n => used(`topic-used-${n}`, usedName, n));
    const rotations = [rotated('topic-a', 6), rotated('topic-b', 5)];
    const rotatedBoth = rotated('topic-both', 4);
    const toA = [...uses.slice(0, 16), rotations[0], rotatedBoth];
    const toB = [...uses.slice(8), rotations[1], rotatedBoth];
    const batches = (list: object[]) =>
      range(Math.ceil(list.length / 4)).map(n =>
        list.slice((n - 1) * 4, n * 4),
      );
    const sent = await Promise.all([
      ...batches(toA).map(events => publishVia(a, { events })),
      ...batches(toB).map(events => publishVia(b, { events })),
      // A sender that retries a batch on the same replica.
      publishVia(a, { events: toA.slice(0, 4) }),
    ]);
    expect(sent.filter(x => x.status !== 202)).toEqual([]);

    const expected = usedBefore + sum(range(24));
    const settled = await eventually(
      'both replicas to count every use',
      async () => {
        const counts = await Promise.all(
          [a, b].map(r => usesToday(r, usedName)),
        );
        return counts.every(c => c >= expected) ? counts : undefined;
      },
      60_000,
    );
    expect(settled).toEqual([expected, expected]);
    // Nothing arrives late: a second delivery would show now.
    await new Promise(r => setTimeout(r, 3000));
    for (const r of [a, b]) {
      expect(await usesToday(r, usedName)).toBe(expected);
    }

    const rotationIds = [...rotations, rotatedBoth].map(e => e.id).sort();
    for (const r of [a, b]) {
      const { events, ledger } = await details(r, rotatedName);
      expect(
        events
          .map((e: any) => e.id)
          .filter((id: string) => id.startsWith(`${RUN}-topic`))
          .sort(),
      ).toEqual(rotationIds);
      expect(
        ledger
          .filter(
            (e: any) =>
              e.kind === 'event.ingested' &&
              e.payload.id.startsWith(`${RUN}-topic`),
          )
          .map((e: any) => e.payload.id)
          .sort(),
      ).toEqual(rotationIds);
    }

    // Through the HTTP API, every one of them is a duplicate by now, on either replica.
    const everything = [...uses, ...rotations, rotatedBoth];
    for (const r of [a, b]) {
      expect(
        await r.fetchJson('/api/nhi/events', {
          method: 'POST',
          token: r.serviceToken,
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ events: everything }),
        }),
      ).toEqual({ accepted: 0, duplicates: everything.length });
    }
  });

  it('logs and drops a bad payload without a 500, a crash or a secret in the log', async () => {
    const usedBefore = await usesToday(a, usedName);
    const bad = [
      { payload: { nope: true }, reason: 'Invalid event batch' },
      {
        payload: { events: [{ ...used('bad-type', usedName, 1), type: 'x' }] },
        reason: 'Refused 1 of 1 events; nothing was applied',
      },
      {
        payload: {
          events: [
            used('fine', usedName, 1),
            { ...used('secret', usedName, 1), actor: TOKEN },
          ],
        },
        reason: 'events never carry secret values',
      },
    ];
    const sent = await Promise.all(
      bad.flatMap(({ payload }) => [a, b].map(r => publishVia(r, payload))),
    );
    // The ingress takes the payload; the nhi subscriber refuses it.
    expect(sent.map(x => x.status)).toEqual(sent.map(() => 202));
    // Not even JSON: the events backend's own body parser refuses it before it reaches any
    // topic (events-backend 0.6 answers 500 with a SyntaxError, where a 400 would be right).
    const notJson = await fetch(`${a.baseUrl}/api/events/http/${TOPIC}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"events": [',
    });
    expect([400, 500]).toContain(notJson.status);

    const output = () => `${a.output()}\n${b.output()}`;
    const dropped = await eventually(
      'a warning for each bad payload',
      async () => {
        const lines = output()
          .split('\n')
          .filter(l => l.includes(DROPPED));
        return bad.every(
          x => lines.filter(l => l.includes(x.reason)).length >= 2,
        )
          ? lines
          : undefined;
      },
      30_000,
    );
    expect(dropped.every(l => /warn/i.test(l))).toBe(true);
    expect(output()).not.toContain(TOKEN);
    // Nothing of them was applied, and both replicas still answer and apply events.
    expect(await usesToday(b, usedName)).toBe(usedBefore);
    const after = await publishVia(b, {
      events: [used('after-bad', usedName, 7)],
    });
    expect(after.status).toBe(202);
    await eventually(
      'an event after the bad ones to be counted',
      async () =>
        (await usesToday(a, usedName)) === usedBefore + 7 ? true : undefined,
      30_000,
    );
    for (const r of [a, b]) {
      expect(
        await r.fetchJson('/api/nhi/health', { token: r.serviceToken }),
      ).toEqual({ status: 'ok' });
    }
  });

  it('never answered a 5xx at the ingress to a JSON payload', () => {
    expect(ingressAnswers.length).toBeGreaterThan(10);
    expect(ingressAnswers.filter(x => x.status >= 500)).toEqual([]);
  });
});
