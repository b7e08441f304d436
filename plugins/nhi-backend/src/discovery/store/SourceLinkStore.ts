import type { IdentitySourceFacts } from '@nhi-governance/plugin-nhi-common';

export interface SourceLink {
  identityRef: string;
  principal?: string;
  facts: IdentitySourceFacts;
}

export interface SourceLinkStore {
  /** The identities a source says something about now. */
  readLinkedRefs(sourceId: string): Promise<Set<string>>;

  /** Forgets what a source said; its next good read says it again. */
  clearSourceLinks(sourceId: string): Promise<void>;

  /** Adds or replaces what a source says about these identities. */
  writeSourceLinks(sourceId: string, links: SourceLink[]): Promise<void>;

  /** What every source says about each of `refs`, by ref, in source order. */
  readSourceFacts(
    refs: string[],
  ): Promise<Map<string, { text: string; facts: IdentitySourceFacts[] }>>;

  /** Identities that sources list under these principals, by principal. */
  refsByPrincipal(
    principals: string[],
  ): Promise<Map<string, Array<{ ref: string; active: boolean }>>>;
}
