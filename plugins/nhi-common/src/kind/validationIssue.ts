/** One reason an entity is not a valid MachineIdentity. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `spec.credential.expiresAt`. */
  path: string;
  message: string;
}
