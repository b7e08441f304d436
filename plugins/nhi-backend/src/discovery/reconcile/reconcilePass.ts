import type { NhiStores } from '../../database/NhiStores';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import type { CredentialSourceFormat } from '@nhi-governance/plugin-nhi-node';
import { toDiscoveredCredential } from '../store/KnexDiscoveryStore';
import type { SourceLink } from '../store/SourceLinkStore';
import type { IdentityRecord } from '../../engine/types';
import type { DiscoverySource } from '../sourceSettings';
import { DeclaredMatcher } from './declaredMatcher';
import { toDiscoveredRecord } from './discoveredIdentity';
import { SourceFactsBuilder } from './sourceFacts';

const PAGE = 2000;

/** What one reconciliation found, kept for the source-health panel. */
export interface ReconcileSummary {
  credentials: number;
  /** Declared identities the source lists. */
  declared: number;
  /** Identities nobody declared, kept as discovered. */
  discovered: number;
  /** Declared identities in the source's scope that it no longer lists. */
  missing: number;
}

/** A present identity that a team declared, as the discovery store reads it. */
export interface DeclaredRow {
  ref: string;
  external_id: string | null;
  credential: string;
}

const inScope = (prefixes: string[], externalId: string | null) =>
  !!externalId && prefixes.some(p => p === '*' || externalId.startsWith(p));

/**
 * One reconciliation of a source's good read, run inside the registry's transaction: it pages
 * through the read, hands the registry the discovered identities page by page, and links every
 * identity the read lists (or, in the source's scope, no longer lists) to the source. What it
 * counts and links outlives the pages, for the summary and the recompute.
 */
export class ReconcilePass {
  readonly summary: ReconcileSummary = {
    credentials: 0,
    declared: 0,
    discovered: 0,
    missing: 0,
  };
  /** Every identity linked to the source, page by page. */
  readonly linked: string[] = [];
  private readonly listedDeclared = new Map<string, SourceFactsBuilder>();
  private readonly declaredCredential: Map<
    string,
    IdentityRecord['credential']
  >;
  private readonly matcher: DeclaredMatcher;
  private readonly base: ConstructorParameters<typeof SourceFactsBuilder>[0];

  constructor(
    private readonly source: Pick<
      DiscoverySource,
      'id' | 'format' | 'authoritativeFor'
    >,
    private readonly run: { id: number; finishedAt: string },
    format: CredentialSourceFormat,
    private readonly declaredRows: DeclaredRow[],
  ) {
    this.declaredCredential = new Map(
      declaredRows.map(d => [
        d.ref,
        JSON.parse(d.credential) as IdentityRecord['credential'],
      ]),
    );
    this.matcher = new DeclaredMatcher(
      format.provider,
      declaredRows.flatMap(d =>
        d.external_id ? [{ ref: d.ref, externalId: d.external_id }] : [],
      ),
    );
    this.base = {
      sourceId: source.id,
      format: source.format,
      readAt: run.finishedAt,
      ...(format.reportsUsage ? { reportsUsage: true } : {}),
    };
  }

  /** The discovered identities, a page at a time, for IdentityRegistry.applySnapshot. */
  async *pages(trx: NhiStores): AsyncGenerator<IdentityRecord[]> {
    await trx.sourceLinks.clearSourceLinks(this.source.id);
    let after: { provider: string; externalId: string } | undefined;
    for (;;) {
      // The read the facts name, even should another replica complete a newer one meanwhile.
      const rows = await trx.discovery.runCredentialsPage(this.run.id, {
        after,
        limit: PAGE,
      });
      if (!rows.length) break;
      const { records, links } = this.sortPage(rows);
      this.summary.discovered += records.length;
      this.linked.push(...links.map(l => l.identityRef));
      await trx.sourceLinks.writeSourceLinks(this.source.id, links);
      yield records;
      const last = rows[rows.length - 1];
      after = { provider: last.provider, externalId: last.external_id };
    }
    // Declared identities last: a principal's credentials may be listed pages apart.
    await this.linkDeclared(trx);
  }

  /**
   * Gathers the facts of the declared identities a page lists, for the end; answers the
   * page's undeclared credentials as discovered identities and their links.
   */
  private sortPage(rows: any[]): {
    records: IdentityRecord[];
    links: SourceLink[];
  } {
    const records: IdentityRecord[] = [];
    const links: SourceLink[] = [];
    for (const row of rows) {
      const c: DiscoveredCredential = toDiscoveredCredential(row);
      this.summary.credentials++;
      const refs = this.matcher.match(c);
      for (const ref of refs) {
        const facts =
          this.listedDeclared.get(ref) ?? new SourceFactsBuilder(this.base);
        this.listedDeclared.set(ref, facts.add(c));
      }
      if (refs.length) continue;
      const record = toDiscoveredRecord(c, this.source.id);
      records.push(record);
      links.push({
        identityRef: record.ref,
        principal: c.principal,
        facts: {
          ...new SourceFactsBuilder(this.base).add(c).build(),
          discovered: true,
        },
      });
    }
    return { records, links };
  }

  /** Links the declared identities listed, and those in scope the read no longer lists. */
  private async linkDeclared(trx: NhiStores): Promise<void> {
    const declaredLinks: SourceLink[] = [...this.listedDeclared].map(
      ([ref, facts]) => ({
        identityRef: ref,
        principal: facts.principal,
        facts: facts.build(this.declaredCredential.get(ref)),
      }),
    );
    const missing: SourceLink[] = this.declaredRows
      .filter(
        d =>
          !this.listedDeclared.has(d.ref) &&
          inScope(this.source.authoritativeFor ?? [], d.external_id),
      )
      .map(d => ({
        identityRef: d.ref,
        facts: {
          sourceId: this.base.sourceId,
          format: this.base.format,
          readAt: this.base.readAt,
          listed: false,
        },
      }));
    this.summary.declared = declaredLinks.length;
    this.summary.missing = missing.length;
    this.linked.push(...declaredLinks.concat(missing).map(l => l.identityRef));
    await trx.sourceLinks.writeSourceLinks(this.source.id, [
      ...declaredLinks,
      ...missing,
    ]);
  }
}
