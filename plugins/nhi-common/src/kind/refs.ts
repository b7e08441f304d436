import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { DEFAULT_REF_KINDS } from './vocabulary';

/** Which ref-valued spec field a ref came from; decides its default kind. */
export type RefField = keyof typeof DEFAULT_REF_KINDS;

/**
 * Resolves a ref written in a MachineIdentity spec to a full entity ref, the way Backstage
 * resolves `spec.owner` on core kinds: a missing kind falls back to the field's default kind
 * and a missing namespace to the identity's own namespace.
 */
export function resolveSpecRef(
  ref: string,
  field: RefField,
  namespace = 'default',
): CompoundEntityRef {
  return parseEntityRef(ref, {
    defaultKind: DEFAULT_REF_KINDS[field],
    defaultNamespace: namespace,
  });
}

/** Same as {@link resolveSpecRef}, as a lower-cased string ref such as `group:default/payments`. */
export function resolveSpecRefString(
  ref: string,
  field: RefField,
  namespace = 'default',
): string {
  return stringifyEntityRef(resolveSpecRef(ref, field, namespace));
}
