import type {
  DiscoveredCredential,
  DiscoveryProvider,
} from '@nhi-governance/plugin-nhi-common';
/**
 * The ids a declaration may name a credential by, besides its externalId as written. GitHub
 * App installations are declared as `github-app:412876 (installation 51938204, org acme)`:
 * the installation id is what the installations export lists.
 */
const EXTRA_KEYS: Partial<
  Record<DiscoveryProvider, (externalId: string) => string[]>
> = {
  github: externalId =>
    [...externalId.matchAll(/installation[ :#]+(\d+)/gi)].map(m => m[1]),
};

export interface Declared {
  ref: string;
  externalId: string;
}

/**
 * Finds the declared identity of a discovered credential: the same provider family, and an
 * externalId naming the credential itself or its principal (declarations name a user ARN or a
 * service-account email as often as a key).
 */
export class DeclaredMatcher {
  private readonly byKey = new Map<string, string[]>();

  constructor(provider: DiscoveryProvider, declared: Declared[]) {
    for (const d of declared) {
      const keys = [
        d.externalId,
        ...(EXTRA_KEYS[provider]?.(d.externalId) ?? []),
      ];
      for (const key of new Set(keys)) {
        const refs = this.byKey.get(key) ?? [];
        refs.push(d.ref);
        this.byKey.set(key, refs);
      }
    }
  }

  /** The declared identities the credential is, if any. */
  match(c: Pick<DiscoveredCredential, 'externalId' | 'principal'>): string[] {
    const refs = [
      ...(this.byKey.get(c.externalId) ?? []),
      ...(this.byKey.get(c.principal) ?? []),
    ];
    return [...new Set(refs)];
  }
}
