import { parseEntityRef } from '@backstage/catalog-model';
import {
  type RollupDimension,
  type RollupFigures,
  builtInFindingDefinition,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityListQuery } from '../../api';

/** The list filters of the identity list: each matches any of its values; all must match. */
export const IDENTITY_FILTER_LIST_KEYS = [
  'owner',
  'system',
  'usedBy',
  'type',
  'environment',
  'rotation',
  'usage',
  'review',
  'finding',
] as const;
export type IdentityFilterListKey = (typeof IDENTITY_FILTER_LIST_KEYS)[number];

/** What the identity list is narrowed to: the filters of `GET /identities`, without paging or sort. */
export type IdentityFilter = Pick<
  IdentityListQuery,
  IdentityFilterListKey | 'compliant'
>;

export type IdentityFilterKey = keyof IdentityFilter;

const FILTER_LABELS: Record<IdentityFilterKey, string> = {
  owner: 'Owner',
  system: 'System',
  usedBy: 'Used by',
  type: 'Type',
  environment: 'Environment',
  rotation: 'Rotation',
  usage: 'Usage',
  review: 'Review',
  finding: 'Finding',
  compliant: 'Compliant',
};

/** The filter in a URL query string: `?rotation=overdue&finding=a&finding=b` (or `finding=a,b`). */
export function filterFromSearchParams(
  params: URLSearchParams,
): IdentityFilter {
  const filter: IdentityFilter = {};
  for (const key of IDENTITY_FILTER_LIST_KEYS) {
    const values = params
      .getAll(key)
      .flatMap(v => v.split(','))
      .map(v => v.trim())
      .filter(Boolean);
    if (values.length) {
      (filter as Record<string, string[]>)[key] = Array.from(new Set(values));
    }
  }
  const compliant = params.get('compliant');
  if (compliant === 'true' || compliant === 'false') {
    filter.compliant = compliant === 'true';
  }
  return filter;
}

/** `base` with its filter parameters replaced by `filter`; other parameters (the tab) are kept. */
export function filterToSearchParams(
  filter: IdentityFilter,
  base: URLSearchParams = new URLSearchParams(),
): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of [...IDENTITY_FILTER_LIST_KEYS, 'compliant']) {
    params.delete(key);
  }
  for (const key of IDENTITY_FILTER_LIST_KEYS) {
    for (const value of filter[key] ?? []) params.append(key, value);
  }
  if (filter.compliant !== undefined) {
    params.set('compliant', String(filter.compliant));
  }
  return params;
}

/** The relative link (`?tab=identities&...`) that opens the identity list with `filter`. */
export function drillDownLink(filter: IdentityFilter): string {
  const base = new URLSearchParams({ tab: 'identities' });
  return `?${filterToSearchParams(filter, base).toString()}`;
}

export function isFilterEmpty(filter: IdentityFilter): boolean {
  return (
    filter.compliant === undefined &&
    IDENTITY_FILTER_LIST_KEYS.every(k => !filter[k]?.length)
  );
}

/** A stable text for the filter: the same filter gives the same text. */
export function filterKey(filter: IdentityFilter): string {
  return filterToSearchParams(filter).toString();
}

/** `group:default/payments` → `payments`; other namespaces are kept: `ops/payments`. */
export function shortRef(ref: string): string {
  if (!ref) return ref;
  try {
    const { namespace, name } = parseEntityRef(ref);
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
}

export function findingTitle(code: string): string {
  return builtInFindingDefinition(code)?.title ?? code;
}

function valueLabel(key: IdentityFilterKey, value: string): string {
  if (key === 'finding') return findingTitle(value);
  if (key === 'owner' || key === 'system' || key === 'usedBy') {
    return shortRef(value);
  }
  return value.replace(/-/g, ' ');
}

export interface FilterChip {
  key: IdentityFilterKey;
  /** The value, or `true`/`false` for `compliant`. */
  value: string;
  label: string;
}

/** One chip per filter value, e.g. "Rotation: overdue", "Finding: No owner". */
export function filterChips(filter: IdentityFilter): FilterChip[] {
  const chips: FilterChip[] = [];
  for (const key of IDENTITY_FILTER_LIST_KEYS) {
    for (const value of filter[key] ?? []) {
      chips.push({
        key,
        value,
        label: `${FILTER_LABELS[key]}: ${valueLabel(key, value)}`,
      });
    }
  }
  if (filter.compliant !== undefined) {
    chips.push({
      key: 'compliant',
      value: String(filter.compliant),
      label: filter.compliant ? 'Compliant' : 'Not compliant',
    });
  }
  return chips;
}

/** `filter` without one value (or without `compliant`). */
export function removeFromFilter(
  filter: IdentityFilter,
  key: IdentityFilterKey,
  value: string,
): IdentityFilter {
  const next: IdentityFilter = { ...filter };
  if (key === 'compliant') {
    delete next.compliant;
    return next;
  }
  const rest = (filter[key] ?? []).filter(v => v !== value);
  if (rest.length) next[key] = rest as any;
  else delete next[key];
  return next;
}

/**
 * Both filters at once, or undefined where they cannot be combined: the list API matches any
 * value of a filter, so two different value sets for the same key cannot both be required.
 */
export function mergeFilters(
  a: IdentityFilter,
  b: IdentityFilter,
): IdentityFilter | undefined {
  const merged: IdentityFilter = { ...a };
  for (const key of IDENTITY_FILTER_LIST_KEYS) {
    const bv = b[key];
    if (!bv?.length) continue;
    const av = a[key];
    if (av?.length && av.join('\n') !== bv.join('\n')) return undefined;
    (merged as Record<string, string[]>)[key] = bv;
  }
  if (b.compliant !== undefined) {
    if (a.compliant !== undefined && a.compliant !== b.compliant) {
      return undefined;
    }
    merged.compliant = b.compliant;
  }
  return merged;
}

/** The figures that have an identity-list filter, and what it is. */
export type RollupMetric = Exclude<keyof RollupFigures, 'compliantPct'>;

export const METRIC_FILTERS: Partial<Record<RollupMetric, IdentityFilter>> = {
  identities: {},
  compliant: { compliant: true },
  rotationOverdue: { rotation: ['overdue'] },
  expired: { rotation: ['expired'] },
  orphaned: { finding: ['owner-missing', 'owner-orphaned'] },
  dormant: { usage: ['dormant', 'never-used'] },
  unapproved: { finding: ['unapproved'] },
};

export const METRIC_LABELS: Record<RollupMetric, string> = {
  identities: 'Identities',
  compliant: 'Compliant',
  rotationOverdue: 'Rotation overdue',
  expired: 'Expired',
  orphaned: 'Orphaned',
  dormant: 'Dormant',
  unapproved: 'Unapproved',
  highRisk: 'High risk',
};

/** The filter for one rollup row, or undefined where the list cannot select it. */
export function dimensionFilter(
  dimension: RollupDimension,
  key: string,
): IdentityFilter | undefined {
  switch (dimension) {
    case 'all':
      return {};
    case 'owner':
      return key ? { owner: [key] } : { finding: ['owner-missing'] };
    case 'system':
      return key ? { system: [key] } : undefined;
    case 'type':
      return key ? { type: [key] } : undefined;
    case 'environment':
      return key ? { environment: [key] } : undefined;
    case 'finding':
      return key ? { finding: [key] } : undefined;
    default:
      return undefined;
  }
}

/** The filter for one figure of one rollup row, e.g. the expired identities of a group. */
export function cellFilter(
  dimension: RollupDimension,
  key: string,
  metric: RollupMetric,
): IdentityFilter | undefined {
  const row = dimensionFilter(dimension, key);
  const figure = METRIC_FILTERS[metric];
  if (!row || !figure) return undefined;
  return mergeFilters(row, figure);
}
