import { createHash } from 'crypto';
import type { NhiStores } from '../../database/NhiStores';
import { discoveredSource } from '@nhi-governance/plugin-nhi-common';
import type { IdentityRegistry } from '../../identities/IdentityRegistry';
import { DECLARED_PROVIDERS } from '../providerFamilies';
import { BUILT_IN_FORMATS, SourceFormatRegistry } from '../sourceFormats';
import type { DiscoverySource } from '../sourceSettings';
import { ReconcilePass, ReconcileSummary } from './reconcilePass';

export type { ReconcileSummary } from './reconcilePass';

export interface ReconcileResult {
  summary: ReconcileSummary;
  /** Identities whose source facts changed or may have: their status is recomputed. */
  affectedRefs: string[];
}

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
    const pass = new ReconcilePass(source, run, format, declaredRows);
    const before = await this.stores.sourceLinks.readLinkedRefs(source.id);
    await this.registry.applySnapshot(
      discoveredSource(source.id),
      trx => pass.pages(trx),
      now,
    );
    await this.stores.discovery.saveSourceSummary(source.id, pass.summary);
    this.lastInputs.set(source.id, inputs);
    return {
      summary: pass.summary,
      affectedRefs: [...new Set([...before, ...pass.linked])].sort(),
    };
  }
}
