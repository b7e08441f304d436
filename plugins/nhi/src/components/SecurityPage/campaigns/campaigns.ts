import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import type { Campaign } from '@nhi-governance/plugin-nhi-common';

/** Sorted for the list: open first, then the newest. */
export function sortCampaigns(items: Campaign[]): Campaign[] {
  const rank = (c: Campaign) => (c.status === 'open' ? 0 : 1);
  return [...items].sort(
    (a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt),
  );
}

/** The campaign whose completion the KPIs show: the open one due first. */
export function currentCampaign(items: Campaign[]): Campaign | undefined {
  return items
    .filter(c => c.status === 'open')
    .sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
}

/** A suggestion for the next campaign's period: the current quarter, e.g. `2026-Q3`. */
export function suggestedPeriod(now: Date = new Date()): string {
  return `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

/** `payments, group:ops/platform` → full group refs. */
export function parseOwnerScope(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map(v => v.trim())
    .filter(Boolean)
    .map(v =>
      stringifyEntityRef(
        parseEntityRef(v, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      ),
    );
}

/** The form of the start dialog as the `startCampaign` input. */
export function startCampaignInput(values: Record<string, string>): {
  period: string;
  scope?: { owner: string[] };
  dueAt?: string;
} {
  const owner = parseOwnerScope(values.owner ?? '');
  return {
    period: values.period,
    ...(owner.length ? { scope: { owner } } : {}),
    // The end of the chosen day, UTC.
    ...(values.dueAt ? { dueAt: `${values.dueAt}T23:59:59Z` } : {}),
  };
}
