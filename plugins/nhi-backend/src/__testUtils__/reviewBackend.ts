import request from 'supertest';
import type { Knex } from 'knex';
import type { Entity } from '@backstage/catalog-model';
import {
  BackstageCredentials,
  PermissionsService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  nhiIdentityReadPermission,
  nhiReviewDecidePermission,
} from '@nhi-governance/plugin-nhi-common';
import { nhiPlugin } from '../plugin';
import {
  createNhiIdentityConditionalDecision,
  nhiIdentityConditions,
} from '../permissions/identityResource';

export const SECURITY = 'group:default/security';

/** The test organisation: each user's groups. */
export const MEMBERS: Record<string, string[]> = {
  'user:default/dana': ['group:default/payments'],
  'user:default/omar': ['group:default/payments'],
  'user:default/marcus': ['group:default/platform'],
  'user:default/sam': [SECURITY],
  'user:default/priya': [SECURITY],
  'user:default/nobody': [],
};

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: Object.entries(MEMBERS)
    .filter(([, groups]) => groups.includes(`group:default/${name}`))
    .map(([user]) => ({ type: 'hasMember', targetRef: user })),
});

const user = (ref: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: ref.split('/')[1], namespace: 'default' },
  spec: { memberOf: MEMBERS[ref] },
});

/**
 * The example portal's permission policy, in process: security may do everything, anyone else
 * reads and decides on what their groups own, services may do everything. It stands in for the
 * permission backend (the system tests run the real one) and applies the plugin's real rules.
 */
class TestPolicyPermissions implements PermissionsService {
  private claimsOf(credentials: BackstageCredentials) {
    const principal = credentials.principal as any;
    if (principal.type !== 'user') return undefined;
    return [
      principal.userEntityRef,
      ...(MEMBERS[principal.userEntityRef] ?? []),
    ];
  }

  async authorizeConditional(requests: any[], options: any): Promise<any[]> {
    const claims = this.claimsOf(options.credentials);
    return requests.map(({ permission }) => {
      if (!claims || claims.includes(SECURITY))
        return { result: AuthorizeResult.ALLOW };
      if (
        isResourcePermission(permission) &&
        [
          nhiIdentityReadPermission.name,
          nhiReviewDecidePermission.name,
        ].includes(permission.name)
      ) {
        return createNhiIdentityConditionalDecision(
          permission as any,
          nhiIdentityConditions.isIdentityOwner({ claims }),
        );
      }
      return { result: AuthorizeResult.DENY };
    });
  }

  async authorize(requests: any[], options: any): Promise<any[]> {
    const claims = this.claimsOf(options.credentials);
    return requests.map(() => ({
      result:
        !claims || claims.includes(SECURITY)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    }));
  }
}

export interface ReviewBackend {
  server: any;
  /** Every notification the plugin sent, in order. */
  sent: NotificationSendOptions[];
  get(path: string, as?: string): request.Test;
  post(path: string, body: unknown, as?: string): request.Test;
  /** Syncs the catalog and recomputes every status now. */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real backend with the nhi plugin on the given database, the test organisation and
 * identities in a catalog, and the policy above. Notifications are recorded: the
 * notifications backend is exercised for real by the system tests.
 */
export async function startReviewBackend(
  knex: Knex,
  identities: Entity[],
  config: object = {},
  options: {
    /** Every message and its fields the backend logs, as JSON lines, to search for secrets. */
    logs?: string[];
  } = {},
): Promise<ReviewBackend> {
  const sent: NotificationSendOptions[] = [];
  const entities = [
    ...['payments', 'platform', 'security'].map(group),
    ...Object.keys(MEMBERS).map(user),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'payments-api', namespace: 'default' },
      spec: { type: 'service', lifecycle: 'production', owner: 'payments' },
    },
    ...identities,
  ];
  const testBackend = await startTestBackend({
    features: [
      nhiPlugin,
      mockServices.database.factory({ knex }),
      ...(options.logs ? [recordingLogger(options.logs)] : []),
      mockServices.rootConfig.factory({
        data: { nhi: { reviews: { scheduleCampaigns: false }, ...config } },
      }),
      catalogServiceMock.factory({ entities }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () => new TestPolicyPermissions(),
      }),
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          getUserInfo: async (credentials: BackstageCredentials) => {
            const ref = (credentials.principal as any).userEntityRef;
            return {
              userEntityRef: ref,
              ownershipEntityRefs: [ref, ...(MEMBERS[ref] ?? [])],
            };
          },
        }),
      }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (notification: NotificationSendOptions) => {
            sent.push(notification);
          },
        }),
      }),
    ],
  });
  const header = (as?: string) =>
    as === 'service'
      ? mockCredentials.service.header()
      : mockCredentials.user.header(as ?? 'user:default/dana');
  const { server } = testBackend;
  const backend: ReviewBackend = {
    server,
    sent,
    get: (path, as) =>
      request(server).get(`/api/nhi${path}`).set('Authorization', header(as)),
    post: (path, body, as) =>
      request(server)
        .post(`/api/nhi${path}`)
        .set('Authorization', header(as))
        .send(body as object),
    refresh: async () => {
      const res = await backend.post('/refresh', {}, 'service');
      if (res.status !== 200)
        throw new Error(`refresh: ${res.status} ${res.text}`);
    },
    stop: () => testBackend.stop(),
  };
  return backend;
}

/** A root logger that writes every message, with its fields, to `lines`. */
export function recordingLogger(lines: string[]) {
  const logger = (fields: object = {}): any => {
    const write = (level: string) => (message: string, meta?: unknown) =>
      lines.push(
        JSON.stringify({
          level,
          message,
          ...fields,
          meta: meta instanceof Error ? `${meta.message} ${meta.stack}` : meta,
        }),
      );
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: (more: object) => logger({ ...fields, ...more }),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => logger(),
  });
}

/** A MachineIdentity entity for the test catalog. */
export function identityEntity(
  name: string,
  spec: Record<string, unknown> = {},
): Entity {
  return {
    apiVersion: 'nhi.backstage.io/v1alpha1',
    kind: 'MachineIdentity',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'api-key',
      owner: 'group:default/payments',
      purpose: `Test identity ${name}`,
      usedBy: ['component:default/payments-api'],
      environment: 'production',
      provider: 'stripe',
      externalId: `key-${name}`,
      scopes: ['charges:write', 'refunds:write'],
      privilege: 'write',
      credential: { createdAt: '2026-10-01', lastRotatedAt: '2026-11-01' },
      approval: {
        approvedBy: 'user:default/sam',
        approvedAt: '2026-10-01',
        ticket: 'SEC-1',
      },
      ...spec,
    },
  };
}
