import fs from 'fs';
import path from 'path';
import fc from 'fast-check';
import request from 'supertest';
import type { Knex } from 'knex';
import { parse } from 'yaml';
import { DateTime } from 'luxon';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  CAMPAIGN_STATUSES,
  EVENT_TYPES,
  EXCEPTABLE_FINDINGS,
  EXCEPTION_STATUSES,
  FINDING_CODES,
  IDENTITY_SORT_FIELDS,
  MACHINE_IDENTITY_TYPES,
  REVIEW_DECISIONS,
  REVIEW_ITEM_STATES,
  REVIEW_STATUSES,
  ROLLUP_DIMENSIONS,
  ROTATION_STATUSES,
  USAGE_STATUSES,
} from '@nhi-governance/plugin-nhi-common';
import {
  createTestDatabases,
  expectedDatabaseIds,
} from '../__testUtils__/databases';
import { ReviewBackend, identityEntity } from '../__testUtils__/reviewBackend';
import { startEdgeBackend } from '../__testUtils__/edgeBackend';
import {
  changedTables,
  settledSnapshot,
  snapshotTables,
} from '../__testUtils__/tableSnapshot';
import {
  GeneratedBody,
  Mode,
  body,
  cursor,
  modeOf,
  pathSegment,
  prose,
  queryString,
} from '../__testUtils__/requestArbitraries';

/**
 * Property: over every route in openapi.yaml, with generated queries, path parameters and bodies
 * (nearly right, or hostile), no request gets a 5xx, and a refused one (4xx) changes no row in
 * any table. Runs per route: NHI_PROPERTY_RUNS (default 12), kept low so that both databases
 * finish in about a minute on two cores; a failure prints fast-check's seed and the request.
 */
const RUNS = Number(process.env.NHI_PROPERTY_RUNS ?? 12);
/** With NHI_PROPERTY_STATS=1, prints how many answers of each status each route gave. */
const STATS = process.env.NHI_PROPERTY_STATS === '1';

jest.setTimeout(300_000);

const SAM = 'user:default/sam';
const DANA = 'user:default/dana';
const MARCUS = 'user:default/marcus';
const ref = (name: string) => `machineidentity:default/${name}`;
const NAMES = ['checkout-key', 'refunds-key', 'admin-key', 'platform-key'];

/** What the generators pick real values from, filled in once the backend has data. */
const known = {
  campaignIds: [] as string[],
  itemIds: [] as string[],
  exceptionIds: [] as string[],
};
const pick = (list: () => string[]) =>
  fc.nat().map(i => {
    const values = list();
    return values.length ? values[i % values.length] : 'none';
  });

const enumOf = (values: readonly string[]) => fc.constantFrom(...values);
const ownerRef = enumOf([
  'group:default/payments',
  'group:default/platform',
  'user:default/dana',
  'group:default/ghosts',
]);
const identityRef = enumOf(NAMES.map(ref));
const entityKind = enumOf([
  'component',
  'group',
  'system',
  'user',
  'Component',
]);
const entityName = enumOf(['payments-api', 'payments', 'platform', 'dana']);
const identityName = enumOf([...NAMES, 'no-such-key']);
const anyId = fc.oneof(
  pick(() => known.campaignIds),
  pick(() => known.itemIds),
  pick(() => known.exceptionIds),
  fc.uuid(),
);
const futureTime = fc
  .integer({ min: 1, max: 330 })
  .map(days => DateTime.utc().plus({ days }).toISO()!);
const pastTime = fc
  .integer({ min: 0, max: 60 * 24 * 60 })
  .map(minutes => DateTime.utc().minus({ minutes }).toISO()!);
const day = fc
  .integer({ min: -400, max: 10 })
  .map(days => DateTime.utc().plus({ days }).toISODate()!);
const intText = (min: number, max: number) =>
  fc.integer({ min, max }).map(String);
const flagText = enumOf(['true', 'false']);
const listQuery = ({ queryField, queryList }: Mode) => ({
  owner: queryList(ownerRef),
  system: queryList(enumOf(['system:default/payments'])),
  usedBy: queryList(enumOf(['component:default/payments-api'])),
  type: queryList(enumOf(MACHINE_IDENTITY_TYPES)),
  environment: queryList(enumOf(['production', 'staging'])),
  rotation: queryList(enumOf(ROTATION_STATUSES)),
  usage: queryList(enumOf(USAGE_STATUSES)),
  review: queryList(enumOf(REVIEW_STATUSES)),
  compliant: queryField(flagText),
  finding: queryList(enumOf(FINDING_CODES)),
  includeRemoved: queryField(flagText),
  sort: queryField(enumOf(IDENTITY_SORT_FIELDS)),
  order: queryField(enumOf(['asc', 'desc'])),
  limit: queryField(intText(1, 500)),
  offset: queryField(intText(0, 50)),
});
const page = ({ queryField }: Mode) => ({
  limit: queryField(intText(1, 500)),
  offset: queryField(intText(0, 50)),
});
/** A decision: when well-formed, with only the fields its kind takes. */
const decisionFields = ({
  field,
  hostile,
}: Mode): Record<string, fc.Arbitrary<unknown>> =>
  hostile
    ? {
        decision: field(enumOf(REVIEW_DECISIONS)),
        scopesToRemove: field(
          fc.array(enumOf(['charges:write', '*']), { maxLength: 2 }),
        ),
        reassignTo: field(ownerRef),
        acknowledgements: field(
          fc.dictionary(enumOf(FINDING_CODES), prose, { maxKeys: 2 }),
        ),
      }
    : {
        decision: enumOf(['certify', 'revoke', 'escalate']),
        acknowledgements: fc.dictionary(enumOf(FINDING_CODES), prose, {
          maxKeys: 2,
        }),
      };
const event = ({ field, hostile }: Mode) =>
  fc.record(
    {
      id: field(fc.uuid()),
      type: field(enumOf(EVENT_TYPES)),
      occurredAt: field(pastTime),
      identity: field(
        fc.oneof(
          fc.record({ ref: identityRef }),
          fc.record({
            provider: fc.constant('stripe'),
            externalId: enumOf(NAMES.map(n => `key-${n}`)),
          }),
        ),
      ),
      count: field(fc.integer({ min: 1, max: 50 })),
      sourceIp: field(fc.oneof(fc.ipV4(), fc.ipV6())),
      region: field(enumOf(['eu-west-1', 'us-east-1'])),
      userAgent: field(prose),
      actor: field(prose),
    },
    { requiredKeys: hostile ? [] : ['id', 'type', 'occurredAt', 'identity'] },
  );

interface Route {
  params?: Record<string, fc.Arbitrary<string>>;
  /** The parameters; or, where they go in pairs, the query string itself. */
  query?:
    | Record<string, fc.Arbitrary<string | string[]>>
    | fc.Arbitrary<string>;
  body?: Record<string, fc.Arbitrary<unknown>>;
  /** Who sends it; security by default, as security may reach every route. */
  as?: fc.Arbitrary<string>;
}

const people = fc.oneof(
  { arbitrary: fc.constant(SAM), weight: 3 },
  { arbitrary: enumOf([DANA, MARCUS, 'service']), weight: 1 },
);

/** Every route of openapi.yaml and what a client may send it, built or hostile. */
const ROUTES: Record<string, (mode: Mode) => Route> = {
  'GET /health': () => ({}),
  'GET /identities': m => ({ query: listQuery(m) }),
  'GET /entities/{kind}/{namespace}/{name}/identities': m => ({
    params: {
      kind: entityKind,
      namespace: enumOf(['default']),
      name: entityName,
    },
    query: listQuery(m),
  }),
  'GET /identities/{namespace}/{name}': () => ({
    params: {
      namespace: enumOf(['default', 'discovered']),
      name: identityName,
    },
  }),
  'POST /events': m => ({
    body: { events: m.field(fc.array(event(m), { maxLength: 4 })) },
    as: fc.oneof(
      { arbitrary: fc.constant('service'), weight: 4 },
      { arbitrary: fc.constant(SAM), weight: 1 },
    ),
  }),
  'POST /refresh': () => ({ body: {} }),
  'GET /rollups': m => ({
    query: { by: m.queryField(enumOf(ROLLUP_DIMENSIONS)) },
  }),
  'GET /rollups/trend': m => ({
    query: {
      by: m.queryField(enumOf(ROLLUP_DIMENSIONS)),
      key: m.queryField(ownerRef),
      days: m.queryField(intText(1, 730)),
    },
  }),
  'GET /ledger/verify': () => ({}),
  'GET /campaigns': m => ({
    query: { status: m.queryList(enumOf(CAMPAIGN_STATUSES)) },
  }),
  'POST /campaigns': m => ({
    body: {
      period: m.field(enumOf(['2026-Q4', '2027-Q1', '2026 Q4'])),
      scope: m.field(
        fc.record(
          {
            owner: m.field(fc.array(ownerRef, { maxLength: 2 })),
            system: m.field(fc.array(enumOf(['system:default/payments']))),
            type: m.field(
              fc.array(enumOf(MACHINE_IDENTITY_TYPES), { maxLength: 2 }),
            ),
            environment: m.field(fc.array(enumOf(['production']))),
          },
          { requiredKeys: [] },
        ),
      ),
      dueAt: m.field(futureTime),
      draft: m.field(fc.boolean()),
    },
  }),
  'GET /campaigns/{id}': () => ({ params: { id: anyId } }),
  'POST /campaigns/{id}/open': () => ({ params: { id: anyId }, body: {} }),
  'POST /campaigns/{id}/close': () => ({ params: { id: anyId }, body: {} }),
  'POST /campaigns/{id}/cancel': () => ({ params: { id: anyId }, body: {} }),
  'GET /campaigns/{id}/items': m => ({
    params: { id: anyId },
    query: {
      state: m.queryList(enumOf(REVIEW_ITEM_STATES)),
      group: m.queryList(ownerRef),
      newSinceLastCampaign: m.queryField(flagText),
      ...page(m),
    },
  }),
  'GET /review-items/mine': m => ({
    query: { state: m.queryList(enumOf(REVIEW_ITEM_STATES)), ...page },
  }),
  'GET /review-items/{id}': () => ({ params: { id: anyId } }),
  'POST /review-items/decisions': m => ({
    body: {
      justification: m.field(prose),
      decisions: m.field(
        fc.array(
          fc.record(
            {
              itemId: m.field(pick(() => known.itemIds)),
              ...decisionFields(m),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
      ),
    },
    as: fc.oneof(people, fc.constant(DANA)),
  }),
  'POST /review-items/{id}/decision': m => ({
    params: {
      id: fc.oneof(
        pick(() => known.itemIds),
        anyId,
      ),
    },
    body: { ...decisionFields(m), justification: m.field(prose) },
    as: fc.oneof(people, fc.constant(DANA)),
  }),
  'POST /review-items/{id}/reassignment': m => ({
    params: {
      id: fc.oneof(
        pick(() => known.itemIds),
        anyId,
      ),
    },
    body: { accept: m.field(fc.boolean()), justification: m.field(prose) },
    as: fc.oneof(people, fc.constant(MARCUS)),
  }),
  'GET /exceptions': m => ({
    query: {
      status: m.queryList(enumOf(EXCEPTION_STATUSES)),
      identity: m.queryField(identityRef),
      mine: m.queryField(flagText),
    },
  }),
  'POST /exceptions': m => ({
    body: {
      identity: m.field(identityRef),
      finding: m.field(enumOf(EXCEPTABLE_FINDINGS)),
      justification: m.field(prose),
      compensatingControls: m.field(prose),
      expiresAt: m.field(futureTime),
    },
    as: fc.oneof(people, fc.constant(DANA)),
  }),
  'POST /exceptions/{id}/approve': m => ({
    params: {
      id: fc.oneof(
        pick(() => known.exceptionIds),
        anyId,
      ),
    },
    body: { reason: m.field(prose) },
  }),
  'POST /exceptions/{id}/reject': m => ({
    params: {
      id: fc.oneof(
        pick(() => known.exceptionIds),
        anyId,
      ),
    },
    body: { reason: m.field(prose) },
  }),
  'GET /approvals': m => ({ query: page(m) }),
  'POST /approvals/{namespace}/{name}': m => ({
    params: { namespace: enumOf(['default']), name: identityName },
    body: {
      decision: m.field(enumOf(['approve', 'send-back'])),
      ticket: m.field(enumOf(['SEC-1', 'SEC-42'])),
      reason: m.field(prose),
    },
  }),
  'POST /reviews/sweep': () => ({ body: {} }),
  'GET /evidence/package': m => ({
    // A period (from no later than to) or a campaign; hostile, any mix of the three.
    query: m.hostile
      ? queryString(
          {
            from: m.queryField(day),
            to: m.queryField(day),
            campaign: m.queryField(pick(() => known.campaignIds)),
          },
          m,
        )
      : fc.oneof(
          fc
            .tuple(day, day)
            .map(([a, b]) => (a <= b ? [a, b] : [b, a]))
            .map(([from, to]) => `from=${from}&to=${to}`),
          pick(() => known.campaignIds).map(id => `campaign=${id}`),
        ),
  }),
  'GET /discovery/sources': () => ({}),
  'GET /discovery/sources/{id}/credentials': m => ({
    params: { id: enumOf(['gcp', 'nowhere']) },
    query: {
      after: m.queryField(fc.oneof(cursor, fc.string({ maxLength: 40 }))),
      limit: m.queryField(intText(1, 500)),
      undeclared: m.queryField(flagText),
    },
  }),
  'POST /discovery/sources/{id}/run': () => ({
    params: { id: enumOf(['gcp', 'nowhere']) },
    body: {},
  }),
  'GET /evidence/exports': m => ({
    query: { limit: m.queryField(intText(1, 200)) },
  }),
};

interface GeneratedRequest {
  as: string;
  url: string;
  body: GeneratedBody;
}

function requestsFor(key: string): fc.Arbitrary<GeneratedRequest> {
  const [, template] = key.split(' ');
  // Half the requests are built as a client would, so that they reach the services and the
  // database; the other half may carry anything anywhere.
  return fc
    .boolean()
    .chain(hostile => requestIn(key, template, modeOf(hostile)));
}

function queryOf(route: Route, mode: Mode): fc.Arbitrary<string> {
  if (!route.query) return fc.constant('');
  if (route.query instanceof fc.Arbitrary) return route.query;
  return queryString(route.query, mode);
}

function requestIn(
  key: string,
  template: string,
  mode: Mode,
): fc.Arbitrary<GeneratedRequest> {
  const route = ROUTES[key](mode);
  const params = fc.record(
    Object.fromEntries(
      Object.entries(route.params ?? {}).map(([name, value]) => [
        name,
        pathSegment(value, mode),
      ]),
    ),
  );
  return fc
    .record({
      as: route.as ?? people,
      params,
      query: queryOf(route, mode),
      body: route.body ? body(route.body, mode) : fc.constant(undefined),
    })
    .map(({ as, params: values, query, body: sent }) => ({
      as,
      url: `${template.replace(/\{(\w+)\}/g, (_, name) => values[name])}${
        query ? `?${query}` : ''
      }`,
      body: sent,
    }));
}

const spec = parse(
  fs.readFileSync(path.join(__dirname, '../schema/openapi.yaml'), 'utf8'),
);
const documentedRoutes = Object.entries(spec.paths).flatMap(
  ([route, methods]: [string, any]) =>
    Object.keys(methods)
      .filter(m => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map(m => `${m.toUpperCase()} ${route}`),
);

describe('every request the API accepts, generated', () => {
  const databases = createTestDatabases();

  it('runs on every database the test command provides', () => {
    expect(databases.eachSupportedId().flat()).toEqual(expectedDatabaseIds);
  });

  it('covers every route in openapi.yaml', () => {
    expect(Object.keys(ROUTES).sort()).toEqual([...documentedRoutes].sort());
  });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let backend: ReviewBackend;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const started = await startEdgeBackend(knex, [
        identityEntity('checkout-key'),
        identityEntity('refunds-key'),
        identityEntity('admin-key', { privilege: 'admin', scopes: ['*'] }),
        identityEntity('platform-key', { owner: 'group:default/platform' }),
      ]);
      backend = started.backend;
      known.campaignIds = [started.campaignId];
      known.itemIds = started.items.map(i => i.id);
      const exception = await backend.post(
        '/exceptions',
        {
          identity: ref('admin-key'),
          finding: 'overprivileged',
          justification: 'Migration needs admin',
          compensatingControls: 'Alerts on every admin call',
          expiresAt: DateTime.utc().plus({ days: 30 }).toISO(),
        },
        DANA,
      );
      known.exceptionIds = [exception.body.id];
      await settledSnapshot(knex);
    });

    const statuses = new Map<string, Map<number, number>>();
    const refusals = new Map<string, string[]>();
    afterAll(async () => {
      await backend?.stop();
      if (STATS) {
        // eslint-disable-next-line no-console
        console.log(
          [...statuses]
            .map(
              ([key, counts]) =>
                `${key}: ${JSON.stringify(
                  Object.fromEntries(counts),
                )} ${JSON.stringify(refusals.get(key) ?? [])}`,
            )
            .join('\n'),
        );
      }
    });

    const send = (generated: GeneratedRequest) => {
      const [method] = generated.body === undefined ? ['get'] : ['post'];
      const header =
        generated.as === 'service'
          ? mockCredentials.service.header()
          : mockCredentials.user.header(generated.as);
      const req = request(backend.server)
        [method as 'get' | 'post'](`/api/nhi${generated.url}`)
        .set('Authorization', header);
      if (generated.body === undefined) return req;
      if ('raw' in generated.body) {
        return req
          .set('Content-Type', 'application/json')
          .send(generated.body.raw);
      }
      return req
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(generated.body.json));
    };

    it.each(Object.keys(ROUTES))(
      '%s: no generated input gets a 5xx, and a refused one changes no row',
      async key => {
        const method = key.split(' ')[0];
        let before = await settledSnapshot(knex);
        const run = fc.assert(
          fc.asyncProperty(requestsFor(key), async generated => {
            // A route without a body is a GET; others always send one (possibly empty).
            const sent =
              method === 'GET'
                ? { ...generated, body: undefined }
                : {
                    ...generated,
                    body: generated.body ?? { json: {} },
                  };
            const res = await send(sent);
            const counts = statuses.get(key) ?? new Map<number, number>();
            counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
            statuses.set(key, counts);
            if (STATS && res.status === 400) {
              const seen = refusals.get(key) ?? [];
              if (seen.length < 3)
                seen.push(String(res.body.error?.message).slice(0, 160));
              refusals.set(key, seen);
            }
            const what = `${key} as ${sent.as}: ${sent.url} ${JSON.stringify(
              sent.body,
            )?.slice(0, 500)} -> ${res.status} ${res.text?.slice(0, 500)}`;
            if (res.status >= 500) throw new Error(`5xx: ${what}`);
            if (res.status >= 400) {
              const changed = changedTables(before, await snapshotTables(knex));
              if (changed.length > 0) {
                throw new Error(
                  `refused, yet changed ${changed.join(', ')}: ${what}`,
                );
              }
            } else {
              // Accepted: let what it queued finish before the next request is judged.
              before = await settledSnapshot(knex, { quietMs: 50 });
            }
          }),
          { numRuns: RUNS, endOnFailure: true },
        );
        await expect(run).resolves.toBeUndefined();
      },
    );
  });
});
