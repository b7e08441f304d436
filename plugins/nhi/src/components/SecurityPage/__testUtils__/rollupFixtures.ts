import type {
  RollupDimension,
  RollupFigures,
  RollupRow,
  TrendPoint,
} from '@nhi-governance/plugin-nhi-common';

/** Organisation-wide figures, per-dimension rollups and a short compliance trend. */
export const figures = (
  overrides: Partial<RollupFigures> = {},
): RollupFigures => ({
  identities: 0,
  compliant: 0,
  compliantPct: 100,
  rotationOverdue: 0,
  expired: 0,
  orphaned: 0,
  dormant: 0,
  unapproved: 0,
  highRisk: 0,
  ...overrides,
});

export const total = figures({
  identities: 1200,
  compliant: 900,
  compliantPct: 75,
  rotationOverdue: 42,
  expired: 7,
  orphaned: 12,
  dormant: 30,
  unapproved: 5,
  highRisk: 20,
});

const row = (key: string, f: Partial<RollupFigures>): RollupRow => ({
  key,
  ...figures(f),
});

export const rollupRows: Record<RollupDimension, RollupRow[]> = {
  all: [row('', total)],
  owner: [
    row('group:default/payments', {
      identities: 700,
      rotationOverdue: 30,
      expired: 5,
      dormant: 10,
    }),
    row('group:default/platform', {
      identities: 480,
      rotationOverdue: 12,
      expired: 2,
      dormant: 20,
      unapproved: 5,
    }),
    row('', { identities: 20, orphaned: 12 }),
  ],
  system: [row('system:default/payments', { identities: 700 })],
  type: [row('service-account', { identities: 900 })],
  environment: [row('production', { identities: 1000, expired: 7 })],
  finding: [
    row('rotation-overdue', { identities: 42 }),
    row('dormant', { identities: 25 }),
    row('owner-missing', { identities: 12 }),
  ],
};

export const trendPoints: TrendPoint[] = [
  { day: '2026-06-01', ...figures({ identities: 1100, compliantPct: 70 }) },
  { day: '2026-06-02', ...figures({ identities: 1200, compliantPct: 75 }) },
];
