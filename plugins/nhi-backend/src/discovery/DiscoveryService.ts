import type { NhiStores } from '../database/NhiStores';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  textProblem,
  DiscoveredCredentialsResponse,
  DiscoveryRunResponse,
  DiscoveredCredentialView,
  DiscoveryProvider,
  DiscoverySourceHealth,
} from '@nhi-governance/plugin-nhi-common';
import {
  RUNS_KEEPING_WARNINGS,
  runWarnings,
  toDiscoveredCredential,
} from './store/KnexDiscoveryStore';
import { DECLARED_PROVIDERS } from './providerFamilies';
import type { SourceRunner } from './SourceRunner';
import type { DiscoverySource } from './sourceSettings';

/** A page cursor: the provider and external id of the last credential shown. */
const cursorOf = (provider: string, externalId: string) =>
  Buffer.from(JSON.stringify([provider, externalId])).toString('base64url');

function parseCursor(after: string) {
  try {
    const [provider, externalId] = JSON.parse(
      Buffer.from(after, 'base64url').toString(),
    );
    // The cursor is text the edge could not screen (it arrives encoded): a NUL in it would
    // reach PostgreSQL, which cannot compare it.
    if (
      typeof provider === 'string' &&
      typeof externalId === 'string' &&
      !textProblem(provider) &&
      !textProblem(externalId)
    ) {
      return { provider, externalId };
    }
  } catch {
    // reported below
  }
  return undefined;
}

// The runs that still keep their list of warnings.
const RUNS_SHOWN = RUNS_KEEPING_WARNINGS;

/** What discovery knows of its sources, for the source-health panel; and a read on demand. */
export class DiscoveryService {
  constructor(
    private readonly stores: NhiStores,
    private readonly reading?: {
      sources: DiscoverySource[];
      runner: Pick<SourceRunner, 'run'>;
    },
  ) {}

  /** Reads a configured source now, as its schedule would, and says how it went. */
  async run(sourceId: string): Promise<DiscoveryRunResponse> {
    const source = this.reading?.sources.find(s => s.id === sourceId);
    if (!source || !this.reading) {
      throw new NotFoundError(`No discovery source ${sourceId}`);
    }
    const result = await this.reading.runner.run(source);
    const warnings = {
      warningCount: result.warnings.count,
      warnings: result.warnings.kept,
    };
    return result.status === 'ok'
      ? {
          status: 'ok',
          rows: result.rows,
          summary: result.summary as Record<string, number>,
          ...warnings,
        }
      : {
          status: 'failed',
          rows: result.rows,
          error: result.error,
          ...warnings,
        };
  }

  async sourceHealth(): Promise<DiscoverySourceHealth[]> {
    const sources = await this.stores.discovery.readSources();
    return Promise.all(
      sources.map(async s => {
        const runs = await this.stores.discovery.readRuns(s.id, RUNS_SHOWN);
        const good = s.good_run_id
          ? runs.find(r => r.id === s.good_run_id) ??
            (await this.stores.discovery.readRun(s.good_run_id))
          : undefined;
        return {
          id: s.id,
          format: s.format,
          location: s.location,
          ...(s.last_status
            ? { lastStatus: s.last_status as 'ok' | 'failed' }
            : {}),
          ...(s.last_run_at ? { lastRunAt: s.last_run_at } : {}),
          ...(s.last_success_at ? { lastSuccessAt: s.last_success_at } : {}),
          ...(s.last_error ? { lastError: s.last_error } : {}),
          credentials: good ? Number(good.credentials) : 0,
          ...(s.summary ? { summary: JSON.parse(s.summary) } : {}),
          runs: runs.map(r => {
            const warnings = runWarnings(r);
            return {
              startedAt: r.started_at,
              ...(r.finished_at ? { finishedAt: r.finished_at } : {}),
              status: r.status,
              rowsRead: Number(r.rows_read),
              credentials: Number(r.credentials),
              ...(r.error ? { error: r.error } : {}),
              warningCount: warnings.count,
              warnings: warnings.kept,
              ...(r.scopes ? { scopes: JSON.parse(r.scopes) } : {}),
            };
          }),
        };
      }),
    );
  }

  /**
   * What a source's last good read listed, a page at a time, each credential with the declared
   * identity it is, if any. `undeclared` keeps only those nobody declared; a page may then
   * hold fewer than `limit`, and `nextAfter` says where to go on.
   */
  async credentials(
    sourceId: string,
    options: { after?: string; limit: number; undeclared?: boolean },
  ): Promise<DiscoveredCredentialsResponse> {
    const source = await this.stores.discovery.readSource(sourceId);
    if (!source) {
      throw new NotFoundError(`No discovery source ${sourceId}`);
    }
    const after = options.after ? parseCursor(options.after) : undefined;
    if (options.after && !after) {
      throw new InputError('query.after is not a cursor this API gave out');
    }
    const rows = source.good_run_id
      ? await this.stores.discovery.runCredentialsPage(source.good_run_id, {
          after,
          limit: options.limit,
        })
      : [];
    const declared = await this.declaredFor(rows);
    const items: DiscoveredCredentialView[] = rows.map(r => {
      const declaredAs =
        declared.get(`${r.provider}\u0000${r.external_id}`) ??
        declared.get(`${r.provider}\u0000${r.principal}`);
      return {
        sourceId,
        ...toDiscoveredCredential(r),
        ...(declaredAs ? { declaredAs } : {}),
      };
    });
    const last = rows[rows.length - 1];
    return {
      items: options.undeclared ? items.filter(i => !i.declaredAs) : items,
      ...(rows.length === options.limit && last
        ? { nextAfter: cursorOf(last.provider, last.external_id) }
        : {}),
    };
  }

  /** The declared identity of each credential's id or principal, by discovery provider. */
  private async declaredFor(
    rows: Array<{ provider: string; external_id: string; principal: string }>,
  ) {
    const found = new Map<string, string>();
    const byProvider = new Map<string, Set<string>>();
    for (const r of rows) {
      const ids = byProvider.get(r.provider) ?? new Set<string>();
      ids.add(r.external_id).add(r.principal);
      byProvider.set(r.provider, ids);
    }
    for (const [provider, ids] of byProvider) {
      const aliases = DECLARED_PROVIDERS[provider as DiscoveryProvider] ?? [];
      for (const identity of await this.stores.discovery.identitiesByExternalId(
        aliases,
        [...ids],
        { declaredOnly: true },
      )) {
        found.set(`${provider}\u0000${identity.external_id}`, identity.ref);
      }
    }
    return found;
  }
}
