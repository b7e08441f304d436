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
import { InputError } from '@backstage/errors';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  MACHINE_IDENTITY_KIND,
  MachineIdentityEntity,
  describeIssues,
  isMachineIdentityEntity,
  resolveSpecRef,
  validateMachineIdentity,
} from '@nhi-governance/plugin-nhi-common';

/**
 * Validates MachineIdentity entities and attaches each one to its owner, the components that
 * use it and its system, in both directions, so that a component's page reaches its identities
 * through its own relations.
 */
export class MachineIdentityEntitiesProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'MachineIdentityEntitiesProcessor';
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
    return entity;
  }
}
