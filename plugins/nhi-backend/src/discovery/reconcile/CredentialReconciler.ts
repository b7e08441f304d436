import { createHash } from 'crypto';
import type { NhiStores } from '../../database/NhiStores';
import {
  DiscoveredCredential,
  discoveredSource,
} from '@nhi-governance/plugin-nhi-common';
import { toDiscoveredCredential } from '../store/KnexDiscoveryStore';
import { SourceLink } from '../store/SourceLinkStore';
import type { IdentityRecord } from '../../engine/types';
import type { IdentityRegistry } from '../../identities/IdentityRegistry';
import { DECLARED_PROVIDERS } from '../providerFamilies';
import { BUILT_IN_FORMATS, SourceFormatRegistry } from '../sourceFormats';
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

export interface ReconcileResult {
  summary: ReconcileSummary;
  /** Identities whose source facts changed or may have: their status is recomputed. */
  affectedRefs: string[];
}

const inScope = (prefixes: string[], externalId: string | null) =>
  !!externalId && prefixes.some(p => p === '*' || externalId.startsWith(p));

/**
 * Turns a source's last good read into identities and facts. Each credential is either a
 * declared identity (matched by provider family and externalId) or a discovered one, kept in
 * the identity table under the source until a team declares it. Everything is written in the
 * registry's one transaction, from the good read only, so a failed or partial read changes
 * nothing here and never says an identity is missing.
 */
export class CredentialReconciler {
  /**
   * What each source was last reconciled from in this process: its good read and the digest of
   * the declarations of its provider. The same inputs give the same result.
   */
  private readonly lastInputs = new Map<string, string>();

  constructor(
    private readonly stores: NhiStores,
    private readonly registry: IdentityRegistry,
    private readonly formats: SourceFormatRegistry = BUILT_IN_FORMATS,
  ) {}

  /**
   * Reconciles the source's good read with the declarations of its provider. With
   * `onlyIfChanged`, does nothing (and answers undefined) when neither changed since this
   * process last reconciled it: a catalog change elsewhere does not rewrite a large source.
   */
  async reconcile(
    source: Pick<DiscoverySource, 'id' | 'format' | 'authoritativeFor'>,
    now: string,
    options: { onlyIfChanged?: boolean } = {},
  ): Promise<ReconcileResult | undefined> {
    const format = this.formats.credentials(source.format);
    const run = format && (await this.stores.discovery.readGoodRun(source.id));
    if (!format || !run) return undefined;
    const declaredRows = await this.stores.discovery.readDeclaredOfProviders(
      DECLARED_PROVIDERS[format.provider],
    );
    const inputs = createHash('sha256')
      .update(String(run.id))
      .update(JSON.stringify(declaredRows))
      .digest('base64');
    if (options.onlyIfChanged && this.lastInputs.get(source.id) === inputs) {
      return undefined;
    }
    const declaredCredential = new Map(
      declaredRows.map(d => [
        d.ref,
        JSON.parse(d.credential) as IdentityRecord['credential'],
      ]),
    );
    const matcher = new DeclaredMatcher(
      format.provider,
      declaredRows.flatMap(d =>
        d.external_id ? [{ ref: d.ref, externalId: d.external_id }] : [],
      ),
    );
    const before = await this.stores.sourceLinks.readLinkedRefs(source.id);
    const base = {
      sourceId: source.id,
      format: source.format,
      readAt: run.finishedAt,
      ...(format.reportsUsage ? { reportsUsage: true } : {}),
    };
    const listedDeclared = new Map<string, SourceFactsBuilder>();
    const summary: ReconcileSummary = {
      credentials: 0,
      declared: 0,
      discovered: 0,
      missing: 0,
    };
    const linked: string[] = [];
    const runId = run.id;

    async function* discoveredPages(
      trx: NhiStores,
    ): AsyncGenerator<IdentityRecord[]> {
      await trx.sourceLinks.clearSourceLinks(source.id);
      let after: { provider: string; externalId: string } | undefined;
      for (;;) {
        // The read the facts name, even should another replica complete a newer one meanwhile.
        const rows = await trx.discovery.runCredentialsPage(runId, {
          after,
          limit: PAGE,
        });
        if (!rows.length) break;
        const records: IdentityRecord[] = [];
        const links: SourceLink[] = [];
        for (const row of rows) {
          const c: DiscoveredCredential = toDiscoveredCredential(row);
          summary.credentials++;
          const refs = matcher.match(c);
          for (const ref of refs) {
            const facts =
              listedDeclared.get(ref) ?? new SourceFactsBuilder(base);
            listedDeclared.set(ref, facts.add(c));
          }
          if (refs.length) continue;
          const record = toDiscoveredRecord(c, source.id);
          records.push(record);
          links.push({
            identityRef: record.ref,
            principal: c.principal,
            facts: {
              ...new SourceFactsBuilder(base).add(c).build(),
              discovered: true,
            },
          });
        }
        summary.discovered += records.length;
        linked.push(...links.map(l => l.identityRef));
        await trx.sourceLinks.writeSourceLinks(source.id, links);
        yield records;
        const last = rows[rows.length - 1];
        after = { provider: last.provider, externalId: last.external_id };
      }
      // Declared identities last: a principal's credentials may be listed pages apart.
      const declaredLinks: SourceLink[] = [...listedDeclared].map(
        ([ref, facts]) => ({
          identityRef: ref,
          principal: facts.principal,
          facts: facts.build(declaredCredential.get(ref)),
        }),
      );
      const missing: SourceLink[] = declaredRows
        .filter(
          d =>
            !listedDeclared.has(d.ref) &&
            inScope(source.authoritativeFor ?? [], d.external_id),
        )
        .map(d => ({
          identityRef: d.ref,
          facts: {
            sourceId: base.sourceId,
            format: base.format,
            readAt: base.readAt,
            listed: false,
          },
        }));
      summary.declared = declaredLinks.length;
      summary.missing = missing.length;
      linked.push(...declaredLinks.concat(missing).map(l => l.identityRef));
      await trx.sourceLinks.writeSourceLinks(source.id, [
        ...declaredLinks,
        ...missing,
      ]);
    }

    await this.registry.applySnapshot(
      discoveredSource(source.id),
      discoveredPages,
      now,
    );
    await this.stores.discovery.saveSourceSummary(source.id, summary);
    this.lastInputs.set(source.id, inputs);
    return {
      summary,
      affectedRefs: [...new Set([...before, ...linked])].sort(),
    };
  }
}
