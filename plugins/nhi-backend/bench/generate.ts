import type { IdentityRecord } from '../src/engine/types';
import { MACHINE_IDENTITY_TYPES } from '@nhi-governance/plugin-nhi-common';

/** A small deterministic PRNG, so every run generates the same organisation. */
export function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The ref of the i-th generated identity, so that senders can name one without the list. */
export const benchRef = (i: number) =>
  `machineidentity:default/bench-${i.toString().padStart(7, '0')}`;

const ENVIRONMENTS = [
  'production',
  'production',
  'staging',
  'development',
  'test',
];
const PROVIDERS = ['aws-iam', 'gcp', 'azure', 'github', 'kubernetes', 'vault'];

/**
 * An organisation of `count` identities over 300 teams, 60 systems and 3000 components, with
 * the problems auditors find at realistic rates (a few percent each).
 */
export function generateIdentities(count: number, seed = 42): IdentityRecord[] {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]) =>
    items[Math.floor(rnd() * items.length)];
  const day = (daysAgo: number) =>
    new Date(Date.UTC(2026, 10, 29) - daysAgo * 86_400_000)
      .toISOString()
      .slice(0, 10);
  const out: IdentityRecord[] = [];
  for (let i = 0; i < count; i++) {
    const team = Math.floor(rnd() * 300);
    const created = 30 + Math.floor(rnd() * 900);
    const rotated = Math.floor(rnd() * (rnd() < 0.1 ? created : 100));
    const users = 1 + (rnd() < 0.05 ? 2 : 0);
    out.push({
      ref: benchRef(i),
      type: pick(MACHINE_IDENTITY_TYPES),
      owner:
        rnd() < 0.02
          ? 'group:default/dissolved-team'
          : `group:default/team-${team}`,
      system: `system:default/system-${team % 60}`,
      usedBy: Array.from(
        { length: users },
        () => `component:default/component-${Math.floor(rnd() * 3000)}`,
      ),
      environment: pick(ENVIRONMENTS),
      provider: pick(PROVIDERS),
      externalId: `ext-${i}`,
      purpose: `Benchmark identity ${i}`,
      scopes: rnd() < 0.03 ? ['*'] : [`svc-${team}:read`],
      privilege: rnd() < 0.03 ? 'admin' : 'read',
      credential: {
        rotation: 'manual',
        createdAt: day(created),
        lastRotatedAt: day(Math.min(rotated, created)),
        ...(rnd() < 0.2
          ? { expiresAt: day(-Math.floor(rnd() * 400) + 30) }
          : {}),
      },
      approval:
        rnd() < 0.05
          ? undefined
          : {
              approvedBy: 'user:default/security-lead',
              approvedAt: day(created),
            },
    });
  }
  return out;
}

export const benchCatalog = () => ({
  existingOwners: new Set(
    Array.from({ length: 300 }, (_, t) => `group:default/team-${t}`),
  ),
  entityStates: new Map<string, 'active' | 'deprecated'>(
    Array.from({ length: 3000 }, (_, c) => [
      `component:default/component-${c}`,
      c % 50 === 0 ? 'deprecated' : 'active',
    ]),
  ),
});
