import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  MACHINE_IDENTITY_KIND,
  MachineIdentityEntity,
  NHI_CATALOG_CHANGED_TOPIC,
  NhiCatalogChangedPayload,
  describeIssues,
  isMachineIdentityEntity,
  resolveSpecRef,
  scanMachineIdentitySecrets,
  validateMachineIdentity,
} from '@nhi-governance/plugin-nhi-common';
import { createHash } from 'crypto';

/** The processor-cache key under which the hash of the last announced content is kept. */
const ANNOUNCED_HASH_KEY = 'announcedContentHash';
/** The processor-cache key of the content last found free of secrets by the whole ruleset. */
const SCANNED_HASH_KEY = 'secretScannedContentHash';

/**
 * Validates MachineIdentity entities and attaches each one to its owner, the components that
 * use it and its system, in both directions, so that a component's page reaches its identities
 * through its own relations.
 *
 * Given the events service, it also announces new and changed identities on
 * {@link NHI_CATALOG_CHANGED_TOPIC}, so that the nhi backend need not wait for its scheduled
 * refresh. A processor only sees entities that exist: a removed identity is never announced,
 * and removals are still picked up by the nhi backend's scheduled refresh.
 */
export class MachineIdentityEntitiesProcessor implements CatalogProcessor {
  constructor(
    private readonly options: {
      events?: EventsService;
      logger?: LoggerService;
    } = {},
  ) {}

  getProcessorName(): string {
    return 'MachineIdentityEntitiesProcessor';
  }

  /**
   * The whole secret ruleset (secretlint's and ours), which the synchronous validator below does
   * not run. A declaration read from a file was already redacted by the module's parser; this
   * catches one an entity provider hands the catalog directly. A clean result is remembered by
   * content hash in the processor cache (kept only when processing succeeds), so an unchanged
   * identity is not scanned again on every processing run.
   */
  async preProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    _emit: CatalogProcessorEmit,
    _originLocation: LocationSpec,
    cache?: CatalogProcessorCache,
  ): Promise<Entity> {
    if (entity.kind !== MACHINE_IDENTITY_KIND) return entity;
    const known = validateMachineIdentity(entity);
    // validateEntityKind refuses it, naming every field, the parser's redaction markers included.
    if (!known.valid && known.carriesSecretMaterial) return entity;
    const hash = contentHash(entity);
    if (cache && (await cache.get<string>(SCANNED_HASH_KEY)) === hash) {
      // Set again, as announceIfChanged does: a run keeps only the keys it set.
      await cache.set(SCANNED_HASH_KEY, hash);
      return entity;
    }
    const issues = await scanMachineIdentitySecrets(entity);
    if (issues.length > 0) {
      throw new InputError(
        `MachineIdentity ${stringifyEntityRef(
          entity,
        )} was refused because it carries secret material: ${describeIssues(
          issues,
        )}`,
      );
    }
    await cache?.set(SCANNED_HASH_KEY, hash);
    return entity;
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (entity.kind !== MACHINE_IDENTITY_KIND) {
      return false;
    }
    const result = validateMachineIdentity(entity);
    const ref = stringifyEntityRef(entity);
    // Secret material is refused whatever apiVersion the entity claims.
    if (!result.valid && result.carriesSecretMaterial) {
      throw new InputError(
        `MachineIdentity ${ref} was refused because it carries secret material: ${describeIssues(
          result.issues,
        )}`,
      );
    }
    if (!isMachineIdentityEntity(entity)) {
      return false;
    }
    if (!result.valid) {
      throw new InputError(
        `MachineIdentity ${ref} is invalid: ${describeIssues(result.issues)}`,
      );
    }
    return true;
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
    cache?: CatalogProcessorCache,
  ): Promise<Entity> {
    if (!isMachineIdentityEntity(entity)) {
      return entity;
    }
    const { spec } = entity as MachineIdentityEntity;
    const self = getCompoundEntityRef(entity);
    const namespace = self.namespace;

    const link = (
      field: 'owner' | 'usedBy' | 'system',
      ref: string,
      outgoing: string,
      incoming: string,
    ) => {
      const target = resolveSpecRef(ref, field, namespace);
      emit(processingResult.relation({ source: self, type: outgoing, target }));
      emit(
        processingResult.relation({
          source: target,
          type: incoming,
          target: self,
        }),
      );
    };

    link('owner', spec.owner, RELATION_OWNED_BY, RELATION_OWNER_OF);
    for (const user of spec.usedBy ?? []) {
      link('usedBy', user, RELATION_DEPENDENCY_OF, RELATION_DEPENDS_ON);
    }
    if (spec.system) {
      link('system', spec.system, RELATION_PART_OF, RELATION_HAS_PART);
    }
    await this.announceIfChanged(entity, cache);
    return entity;
  }

  /**
   * Publishes the identity's ref when its content differs from what was last announced for it.
   * The catalog re-processes every entity on its processing interval, so the hash kept in the
   * processor's per-entity cache is what keeps an unchanged identity quiet. The catalog keeps
   * the cache only when the whole processing run succeeds; a run that fails after this point
   * announces again next time (at least once, never lost). Only valid identities get here.
   */
  private async announceIfChanged(
    entity: Entity,
    cache: CatalogProcessorCache | undefined,
  ): Promise<void> {
    const { events, logger } = this.options;
    if (!events || !cache) {
      return;
    }
    const hash = contentHash(entity);
    if ((await cache.get<string>(ANNOUNCED_HASH_KEY)) === hash) {
      // Set again: once a run sets any key of this processor's cache, the catalog keeps only the
      // keys that run set.
      await cache.set(ANNOUNCED_HASH_KEY, hash);
      return;
    }
    const entityRef = stringifyEntityRef(entity);
    const payload: NhiCatalogChangedPayload = { entityRef };
    try {
      await events.publish({
        topic: NHI_CATALOG_CHANGED_TOPIC,
        eventPayload: payload,
      });
    } catch (error) {
      // Never fail catalog processing over a notification: the hash stays unrecorded, so the
      // next processing run tries again, and the scheduled refresh catches up meanwhile.
      logger?.warn(
        `Could not announce the change of ${entityRef}`,
        error as Error,
      );
      return;
    }
    await cache.set(ANNOUNCED_HASH_KEY, hash);
  }
}

/**
 * SHA-256 of the identity's metadata and spec, keys sorted. The catalog's own bookkeeping fields
 * (uid, etag) are left out: they are not the declaration.
 */
function contentHash(entity: Entity): string {
  const { uid: _uid, etag: _etag, ...metadata } = entity.metadata;
  return createHash('sha256')
    .update(canonicalJson({ metadata, spec: entity.spec ?? null }))
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      // An object's keys are distinct: no tie to break.
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
