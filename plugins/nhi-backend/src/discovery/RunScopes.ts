import type { SourceScopes } from '@nhi-governance/plugin-nhi-node';
import type { ScopeReport } from './store/DiscoveryStore';
import { storableError } from './RunWarnings';

/**
 * What a connector reported of the accounts, tenants or clusters it read in one run. A scope
 * that yielded a credential counts as read unless it then failed; a failure wins, since what
 * it yielded before failing is incomplete.
 */
export class RunScopes implements SourceScopes {
  private readonly ok = new Set<string>();
  private readonly errors = new Map<string, string>();

  read(scope: string): void {
    this.ok.add(scope);
  }

  failed(scope: string, error: unknown): void {
    const message =
      error instanceof Error
        ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
        : String(error);
    this.errors.set(scope, message);
  }

  /** Notes the scope of an item read. */
  saw(item: { scope?: string }) {
    if (item.scope) this.ok.add(item.scope);
  }

  /** Nothing reported: a source that reads one place. */
  get none(): boolean {
    return this.ok.size === 0 && this.errors.size === 0;
  }

  /** The failed scopes, whose items of this run are left out: their last good ones are kept. */
  get failedScopes(): ReadonlySet<string> {
    return new Set(this.errors.keys());
  }

  /** The report to store, each error screened as a run's error is. */
  async report(): Promise<ScopeReport> {
    const failed = await Promise.all(
      [...this.errors].map(async ([scope, error]) => ({
        scope,
        error: await storableError(error),
      })),
    );
    return {
      read: [...this.ok].filter(s => !this.errors.has(s)).sort(),
      failed: failed.sort((a, b) => a.scope.localeCompare(b.scope)),
    };
  }
}

/** A run of several scopes of which none could be read fails as a whole, naming each. */
export async function failIfNoScopeWasRead(scopes: RunScopes) {
  if (scopes.none) return;
  const { read, failed } = await scopes.report();
  if (read.length || !failed.length) return;
  throw new Error(
    `none of its ${
      failed.length
    } accounts, tenants or clusters could be read: ${failed
      .map(f => `${f.scope}: ${f.error}`)
      .join('; ')}`,
  );
}
