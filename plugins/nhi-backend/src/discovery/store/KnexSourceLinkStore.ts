import type { Knex } from 'knex';
import type { IdentitySourceFacts } from '@nhi-governance/plugin-nhi-common';
import { chunks } from '../../database/chunks';
import {
  JSON_ROWS_CHUNK,
  jsonRows,
  upsertSelectWhere,
} from '../../database/jsonRows';
import type { SourceLinkStore, SourceLink } from './SourceLinkStore';
import { requireTransaction } from '../../database/requireTransaction';

const toRows = (sourceId: string, links: SourceLink[]) =>
  links.map(l => ({
    identity_ref: l.identityRef,
    source_id: sourceId,
    principal: l.principal ?? null,
    facts: JSON.stringify(l.facts),
  }));

const LINK_COLUMNS = {
  identity_ref: 'text',
  source_id: 'text',
  principal: 'text',
  facts: 'text',
} as const;

/** SourceLinkStore on the plugin's database (SQLite or PostgreSQL). */
export class KnexSourceLinkStore implements SourceLinkStore {
  constructor(private readonly db: Knex) {}

  /** The identities a source says something about now. */
  async readLinkedRefs(sourceId: string): Promise<Set<string>> {
    const rows = await this.db('nhi_identity_sources')
      .where('source_id', sourceId)
      .select('identity_ref');
    return new Set(rows.map(r => r.identity_ref));
  }

  /** Forgets what a source said; its next good read says it again. */
  async clearSourceLinks(sourceId: string): Promise<void> {
    requireTransaction(this.db, 'clearSourceLinks');
    await this.db('nhi_identity_sources').where('source_id', sourceId).delete();
  }

  /** Adds or replaces what a source says about these identities. */
  async writeSourceLinks(sourceId: string, links: SourceLink[]): Promise<void> {
    requireTransaction(this.db, 'writeSourceLinks');
    const names = Object.keys(LINK_COLUMNS).join(', ');
    for (const batch of chunks(toRows(sourceId, links), JSON_ROWS_CHUNK)) {
      await this.db.raw(
        `insert into nhi_identity_sources (${names})
         select ${names} from ? ${upsertSelectWhere(this.db)}
         on conflict (identity_ref, source_id) do update
         set principal = excluded.principal, facts = excluded.facts`,
        [jsonRows(this.db, LINK_COLUMNS, batch)],
      );
    }
  }

  /** What every source says about each of `refs`, by ref, in source order. */
  async readSourceFacts(
    refs: string[],
  ): Promise<Map<string, { text: string; facts: IdentitySourceFacts[] }>> {
    const found = new Map<
      string,
      { text: string; facts: IdentitySourceFacts[] }
    >();
    for (const batch of chunks(refs, 500)) {
      const rows = await this.db('nhi_identity_sources')
        .whereIn('identity_ref', batch)
        .orderBy(['identity_ref', 'source_id'])
        .select('identity_ref', 'facts');
      for (const r of rows) {
        const entry = found.get(r.identity_ref) ?? { text: '', facts: [] };
        entry.text += r.facts;
        entry.facts.push(JSON.parse(r.facts));
        found.set(r.identity_ref, entry);
      }
    }
    return found;
  }

  /** Identities that sources list under these principals, by principal. */
  async refsByPrincipal(
    principals: string[],
  ): Promise<Map<string, Array<{ ref: string; active: boolean }>>> {
    const found = new Map<string, Array<{ ref: string; active: boolean }>>();
    for (const batch of chunks(principals, 500)) {
      const rows = await this.db('nhi_identity_sources')
        .join('nhi_identities', 'nhi_identities.ref', 'identity_ref')
        .whereIn('principal', batch)
        .whereNull('nhi_identities.removed_at')
        .select('identity_ref', 'principal', 'facts');
      for (const r of rows) {
        const facts: IdentitySourceFacts = JSON.parse(r.facts);
        const list = found.get(r.principal) ?? [];
        if (!list.some(l => l.ref === r.identity_ref)) {
          list.push({
            ref: r.identity_ref,
            active: (facts.credentials ?? []).some(c => c.active),
          });
        }
        found.set(r.principal, list);
      }
    }
    return found;
  }
}
