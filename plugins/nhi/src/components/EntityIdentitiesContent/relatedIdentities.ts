import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNER_OF,
  parseEntityRef,
} from '@backstage/catalog-model';

// The relations the catalog processor emits towards a MachineIdentity, seen from the other end:
// a component depends on it, a system has it as a part, a group owns it.
const RELATIONS_TO_IDENTITIES = [
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNER_OF,
];

/** The refs of the MachineIdentity entities attached to an entity through its relations. */
export function relatedIdentityRefs(entity: Entity): string[] {
  const refs = (entity.relations ?? [])
    .filter(r => RELATIONS_TO_IDENTITIES.includes(r.type))
    .map(r => r.targetRef)
    .filter(
      ref =>
        parseEntityRef(ref).kind.toLocaleLowerCase('en-US') ===
        'machineidentity',
    );
  return [...new Set(refs)].sort();
}
