import { DateTime } from 'luxon';
import type { UsageAnalyzer } from '../anomalies/UsageAnalyzer';
import { Coalescer } from './Coalescer';

export interface RefreshOptions {
  /** The identities got new usage (events or a usage log). */
  usageArrived?: boolean;
}

/**
 * The identities that events, usage logs and decisions touched, recomputed in the background a
 * pass at a time: while one pass runs the identities of further batches gather and go in the
 * next, each once. Identities whose usage arrived are measured against their history first
 * (anomalies), once a pass however many batches named them: only new usage can change what
 * that finds.
 */
export class TouchedIdentities {
  /** Identities waiting for a pass whose usage arrived since they were last measured. */
  private readonly usageArrived = new Set<string>();
  private readonly passes: Coalescer<string>;

  constructor(
    private readonly deps: {
      /** Recomputes the status of these identities (sorted). */
      recompute: (refs: string[]) => Promise<void>;
      /** Measures the usage of identities that events touched, before they are recomputed. */
      usageAnalyzer?: Pick<UsageAnalyzer, 'analyze'>;
    },
  ) {
    this.passes = new Coalescer<string>(refs => this.pass(refs.sort()));
  }

  /** Recomputes `refs` in the next pass; resolves once that pass is done. */
  async refresh(refs: string[], options: RefreshOptions = {}): Promise<void> {
    if (options.usageArrived) refs.forEach(ref => this.usageArrived.add(ref));
    if (refs.length > 0) await this.passes.run(refs);
  }

  private async pass(refs: string[]): Promise<void> {
    const measured = refs.filter(ref => this.usageArrived.delete(ref));
    await this.deps.usageAnalyzer?.analyze(measured, DateTime.utc());
    await this.deps.recompute(refs);
  }
}
