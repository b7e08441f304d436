import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessorCache,
  CatalogProcessorResult,
} from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import { NHI_CATALOG_CHANGED_TOPIC } from '@nhi-governance/plugin-nhi-common';
import { MachineIdentityEntitiesProcessor } from './MachineIdentityEntitiesProcessor';

const location = { type: 'file', target: 'identities.yaml' };

function identity(
  spec: Record<string, unknown>,
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'nhi.backstage.io/v1alpha1',
    kind: 'MachineIdentity',
    metadata: { name: 'payments-db-writer', namespace },
    spec: {
      type: 'service-account',
      owner: 'group:payments',
      purpose: 'Settlement writes to the payments database',
      ...spec,
    },
  };
}

async function relationsOf(entity: Entity) {
  const emitted: CatalogProcessorResult[] = [];
  await new MachineIdentityEntitiesProcessor().postProcessEntity(
    entity,
    location,
    r => emitted.push(r),
  );
  return emitted.map(r => {
    if (r.type !== 'relation') throw new Error(`unexpected ${r.type} result`);
    const { source, type, target } = r.relation;
    return `${source.kind.toLowerCase()}:${source.namespace}/${
      source.name
    } ${type} ${target.kind.toLowerCase()}:${target.namespace}/${target.name}`;
  });
}

describe('MachineIdentityEntitiesProcessor', () => {
  const processor = new MachineIdentityEntitiesProcessor();

  describe('validateEntityKind', () => {
    it('accepts a valid MachineIdentity', async () => {
      await expect(
        processor.validateEntityKind(identity({ usedBy: ['payments-api'] })),
      ).resolves.toBe(true);
    });

    it('leaves other kinds and other API versions to other processors', async () => {
      const component: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'payments-api' },
        spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
      };
      await expect(processor.validateEntityKind(component)).resolves.toBe(
        false,
      );
      await expect(
        processor.validateEntityKind({
          ...identity({}),
          apiVersion: 'nhi.backstage.io/v2',
        }),
      ).resolves.toBe(false);
    });

    it.each([
      [
        'an unknown type',
        { type: 'magic-key' },
        'spec.type must be one of service-account',
      ],
      ['no owner', { owner: undefined }, 'spec.owner is required'],
      [
        'an owner that is a component',
        { owner: 'component:payments-api' },
        'spec.owner must be an entity ref of kind group or user',
      ],
      ['an empty purpose', { purpose: '' }, 'spec.purpose must not be empty'],
      [
        'usedBy as a string',
        { usedBy: 'payments-api' },
        'spec.usedBy must be a list of entity refs',
      ],
      [
        'a malformed usedBy ref',
        { usedBy: ['component:'] },
        'spec.usedBy[0] must be an entity ref',
      ],
      [
        'a system of the wrong kind',
        { system: 'component:payments-api' },
        'spec.system must be an entity ref of kind system',
      ],
      [
        'an upper-case environment',
        { environment: 'PROD' },
        'spec.environment must be a lowercase word',
      ],
      [
        'scopes as a string',
        { scopes: 'rds:payments:write' },
        'spec.scopes must be a list of scopes',
      ],
      [
        'an unknown privilege',
        { privilege: 'superuser' },
        'spec.privilege must be one of read, write, admin',
      ],
      [
        'an unknown rotation mode',
        { credential: { rotation: 'sometimes' } },
        'spec.credential.rotation must be one of automatic, manual, none',
      ],
      [
        'a non-ISO date',
        { credential: { expiresAt: 'next year' } },
        'spec.credential.expiresAt must be an ISO 8601 date',
      ],
      [
        'an invalid duration',
        { credential: { rotationPeriod: '3 months' } },
        'spec.credential.rotationPeriod must be a positive ISO 8601 duration',
      ],
      [
        'an approval without approver',
        { approval: { approvedAt: '2026-01-09' } },
        'spec.approval.approvedBy is required',
      ],
      [
        'a misspelt field',
        { usedby: ['payments-api'] },
        'spec.usedby is not a MachineIdentity field',
      ],
    ])(
      'rejects %s with a message naming the field',
      async (_case, spec, message) => {
        await expect(
          processor.validateEntityKind(identity(spec)),
        ).rejects.toThrow(
          `MachineIdentity machineidentity:default/payments-db-writer is invalid: ${message}`,
        );
      },
    );

    it.each([
      ['spec.secret', { secret: 'redacted' }],
      ['spec.token', { token: 'redacted' }],
      ['spec.password', { password: 'redacted' }],
      ['spec.privateKey', { privateKey: 'redacted' }],
      ['spec.value', { value: 'redacted' }],
      [
        'spec.credential.value',
        { credential: { rotation: 'manual', value: 'redacted' } },
      ],
      [
        'spec.credential.privateKey',
        { credential: { privateKey: 'redacted' } },
      ],
      ['spec.credential.token', { credential: { token: 'redacted' } }],
    ])('refuses secret material in %s', async (path, spec) => {
      const attempt = processor.validateEntityKind(identity(spec));
      await expect(attempt).rejects.toThrow(
        'was refused because it carries secret material',
      );
      await expect(attempt).rejects.toThrow(
        `${path} is a field for secret material`,
      );
      await expect(attempt).rejects.toThrow(
        'secrets never belong in the catalog',
      );
      await expect(attempt).rejects.not.toThrow('redacted');
    });

    it('refuses secret material even under an apiVersion it does not handle', async () => {
      const entity = {
        ...identity({ password: 'redacted' }),
        apiVersion: 'nhi.backstage.io/v2',
      };
      await expect(processor.validateEntityKind(entity)).rejects.toThrow(
        'spec.password is a field for secret material',
      );
    });

    it('refuses a private key pasted into an ordinary field', async () => {
      const pem =
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----';
      await expect(
        processor.validateEntityKind(identity({ externalId: pem })),
      ).rejects.toThrow('spec.externalId looks like a private key');
    });
  });

  describe('preProcessEntity', () => {
    // secretlint's SendGrid rule finds it; the synchronous validator's own rules do not.
    const sendgridKey = [
      'SG',
      'APhb3zgjtx3hajdas1TjBB',
      'H7Sgbba3afgKSDyB442aDK0kpGO3SD332313-L5528K',
    ].join('.');

    it('refuses secret material that only the maintained ruleset knows, naming the field', async () => {
      const entity = identity({ purpose: `Sends mail with ${sendgridKey}` });
      await expect(processor.validateEntityKind(entity)).resolves.toBe(true);
      const refusal = processor.preProcessEntity(
        entity,
        location,
        () => {},
        location,
      );
      await expect(refusal).rejects.toThrow(
        /^MachineIdentity machineidentity:default\/payments-db-writer was refused because it carries secret material: spec\.purpose looks like a SendGrid API key/,
      );
      await expect(refusal).rejects.not.toThrow(sendgridKey);
    });

    it('passes a clean identity and other kinds through unchanged', async () => {
      const entity = identity({ usedBy: ['payments-api'] });
      await expect(
        processor.preProcessEntity(entity, location, () => {}, location),
      ).resolves.toBe(entity);
    });
  });

  describe('postProcessEntity', () => {
    it('emits both directions of ownership, usage and system relations', async () => {
      const relations = await relationsOf(
        identity({
          owner: 'payments',
          system: 'payments',
          usedBy: [
            'payments-api',
            'component:settlement-batch',
            'resource:ledger-db',
          ],
        }),
      );
      const self = 'machineidentity:default/payments-db-writer';
      expect(relations).toEqual([
        `${self} ownedBy group:default/payments`,
        `group:default/payments ownerOf ${self}`,
        `${self} dependencyOf component:default/payments-api`,
        `component:default/payments-api dependsOn ${self}`,
        `${self} dependencyOf component:default/settlement-batch`,
        `component:default/settlement-batch dependsOn ${self}`,
        `${self} dependencyOf resource:default/ledger-db`,
        `resource:default/ledger-db dependsOn ${self}`,
        `${self} partOf system:default/payments`,
        `system:default/payments hasPart ${self}`,
      ]);
    });

    it('emits only ownership when nothing uses the identity and it has no system', async () => {
      expect(await relationsOf(identity({ owner: 'user:dana.reyes' }))).toEqual(
        [
          'machineidentity:default/payments-db-writer ownedBy user:default/dana.reyes',
          'user:default/dana.reyes ownerOf machineidentity:default/payments-db-writer',
        ],
      );
    });

    it("resolves refs without a namespace to the identity's namespace", async () => {
      const relations = await relationsOf(
        identity({ usedBy: ['payments-api'] }, 'finance'),
      );
      expect(relations).toContain(
        'machineidentity:finance/payments-db-writer dependencyOf component:finance/payments-api',
      );
      expect(relations).toContain(
        'group:finance/payments ownerOf machineidentity:finance/payments-db-writer',
      );
    });

    it('leaves other kinds untouched', async () => {
      const emit = jest.fn();
      const group: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'payments' },
        spec: {},
      };
      await expect(
        processor.postProcessEntity(group, location, emit),
      ).resolves.toBe(group);
      expect(emit).not.toHaveBeenCalled();
    });
  });

  describe('announcing changes on the events service', () => {
    /**
     * The catalog's processor cache for one entity, as the catalog keeps it between processing
     * runs: what a run sets is what the next run reads; a run that sets nothing keeps the old
     * values; a failed run keeps nothing new.
     */
    function entityCache() {
      type State = Record<string, unknown>;
      let persisted: State | undefined;
      return {
        forRun() {
          const existing = persisted;
          let written: State | undefined;
          const cache = {
            async get(key: string) {
              return existing?.[key];
            },
            async set(key: string, value: unknown) {
              written = { ...written, [key]: value };
            },
          } as CatalogProcessorCache;
          return {
            cache,
            succeeded: () => {
              persisted = written ?? existing;
            },
          };
        },
      };
    }

    function setup(publish = jest.fn(async () => {})) {
      const events = {
        publish,
        subscribe: jest.fn(),
      } as unknown as EventsService;
      const logger = { warn: jest.fn() };
      const announcing = new MachineIdentityEntitiesProcessor({
        events,
        logger: logger as any,
      });
      const cache = entityCache();
      // A run as the catalog makes it: pre-processing and post-processing share the run's cache.
      const processOnce = async (entity: Entity, succeeds = true) => {
        const run = cache.forRun();
        await announcing.preProcessEntity(
          entity,
          location,
          () => {},
          location,
          run.cache,
        );
        await announcing.postProcessEntity(
          entity,
          location,
          () => {},
          run.cache,
        );
        if (succeeds) run.succeeded();
      };
      return { publish, logger, processOnce };
    }

    const announced = (ref: string) => ({
      topic: NHI_CATALOG_CHANGED_TOPIC,
      eventPayload: { entityRef: ref },
    });
    const self = 'machineidentity:default/payments-db-writer';

    it('announces a new identity once, stays quiet while it is unchanged, and announces a change', async () => {
      const { publish, processOnce } = setup();

      await processOnce(identity({ usedBy: ['payments-api'] }));
      expect(publish).toHaveBeenCalledTimes(1);
      expect(publish).toHaveBeenLastCalledWith(announced(self));

      // The catalog re-processes every entity on its interval: same content, no event.
      await processOnce(identity({ usedBy: ['payments-api'] }));
      await processOnce(identity({ usedBy: ['payments-api'] }));
      expect(publish).toHaveBeenCalledTimes(1);

      await processOnce(identity({ usedBy: ['payments-api', 'orders-api'] }));
      expect(publish).toHaveBeenCalledTimes(2);
      expect(publish).toHaveBeenLastCalledWith(announced(self));

      await processOnce(identity({ usedBy: ['payments-api', 'orders-api'] }));
      expect(publish).toHaveBeenCalledTimes(2);
    });

    it('treats a metadata change as a change, and key order or catalog bookkeeping as none', async () => {
      const { publish, processOnce } = setup();
      const base = identity({});
      await processOnce(base);
      expect(publish).toHaveBeenCalledTimes(1);

      // Same content, keys in another order, plus the uid and etag the catalog adds.
      const reordered: Entity = {
        spec: Object.fromEntries(Object.entries(base.spec!).reverse()),
        metadata: { ...base.metadata, uid: 'abc', etag: 'def' },
        kind: base.kind,
        apiVersion: base.apiVersion,
      };
      await processOnce(reordered);
      expect(publish).toHaveBeenCalledTimes(1);

      await processOnce({
        ...base,
        metadata: { ...base.metadata, description: 'Writes settlement rows' },
      });
      expect(publish).toHaveBeenCalledTimes(2);
    });

    it('announces again when the run that announced did not complete', async () => {
      const { publish, processOnce } = setup();
      await processOnce(identity({}), false);
      await processOnce(identity({}));
      await processOnce(identity({}));
      expect(publish).toHaveBeenCalledTimes(2);
    });

    it('never fails processing when publishing fails, and retries on the next run', async () => {
      const publish = jest
        .fn(async () => {})
        .mockRejectedValueOnce(new Error('Service is shutting down'));
      const { logger, processOnce } = setup(publish);
      await expect(processOnce(identity({}))).resolves.toBeUndefined();
      expect(logger.warn).toHaveBeenCalledWith(
        `Could not announce the change of ${self}`,
        expect.any(Error),
      );
      await processOnce(identity({}));
      await processOnce(identity({}));
      expect(publish).toHaveBeenCalledTimes(2);
    });

    it('announces nothing for other kinds', async () => {
      const { publish, processOnce } = setup();
      await processOnce({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'payments' },
        spec: {},
      });
      expect(publish).not.toHaveBeenCalled();
    });
  });
});
