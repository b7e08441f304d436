import type {
  Finding,
  PrivilegeLevel,
  Severity,
} from '@nhi-governance/plugin-nhi-common';
import type { IdentityRecord } from './types';

const SEVERITY_POINTS: Record<Severity, number> = {
  low: 5,
  medium: 10,
  high: 20,
  critical: 40,
};

const PRIVILEGE_WEIGHT: Record<PrivilegeLevel, number> = {
  read: 1,
  write: 1.2,
  admin: 1.5,
};

/**
 * Risk, 0–100: the points of the open findings (low 5, medium 10, high 20, critical 40),
 * times 1.5 in production, times 1.5 for admin or 1.2 for write privilege, capped at 100.
 * What it can reach and where it runs decide how much the same problem matters.
 */
export function riskScore(
  identity: IdentityRecord,
  findings: Finding[],
): number {
  const points = findings.reduce(
    (sum, f) => sum + SEVERITY_POINTS[f.severity],
    0,
  );
  const environment = identity.environment === 'production' ? 1.5 : 1;
  const privilege = PRIVILEGE_WEIGHT[identity.privilege ?? 'read'];
  return Math.min(100, Math.round(points * environment * privilege));
}
