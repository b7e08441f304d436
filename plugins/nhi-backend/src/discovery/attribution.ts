import type { NhiStores } from '../database/NhiStores';

/** What a log record or a leak report names a credential by. */
export interface CredentialMention {
  /** The provider values an identity may have to be this one; undefined: any. */
  providers?: string[];
  /** Ids to compare with identities' externalId: an access key id, an ARN, an entity id. */
  ids: string[];
  /** Who the credential authenticates as, to find what sources list under that principal. */
  principal?: string;
}

/**
 * The identities each mention is about. An identity whose externalId is one of the ids comes
 * first. Otherwise a principal finds what the sources list under it: with `single`, only when
 * exactly one of its credentials is active (a use by a principal with two live keys cannot be
 * told apart, and counting it for both would hide a dormant key); with `all`, every active one
 * (a leak of a principal's secret concerns each of them).
 */
export async function attributeMentions(
  stores: NhiStores,
  mentions: CredentialMention[],
  rule: 'single' | 'all',
): Promise<string[][]> {
  const byId = new Map<string, Array<{ ref: string; provider: string }>>();
  for (const row of await stores.discovery.identitiesByExternalId(
    undefined,
    mentions.flatMap(m => m.ids),
  )) {
    const list = byId.get(row.external_id) ?? [];
    list.push({ ref: row.ref, provider: row.provider });
    byId.set(row.external_id, list);
  }
  const direct = mentions.map(m => [
    ...new Set(
      m.ids.flatMap(id =>
        (byId.get(id) ?? [])
          .filter(i => !m.providers || m.providers.includes(i.provider))
          .map(i => i.ref),
      ),
    ),
  ]);
  const principals = await stores.sourceLinks.refsByPrincipal([
    ...new Set(
      mentions.flatMap((m, i) =>
        !direct[i].length && m.principal ? [m.principal] : [],
      ),
    ),
  ]);
  return mentions.map((m, i) => {
    if (direct[i].length || !m.principal) return direct[i];
    const active = (principals.get(m.principal) ?? []).filter(p => p.active);
    if (rule === 'single') return active.length === 1 ? [active[0].ref] : [];
    return active.map(p => p.ref);
  });
}
