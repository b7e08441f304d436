import type { MachineIdentityEntity } from '../kind/MachineIdentityEntity';

/** A complete, valid identity; tests derive broken variants from it. */
export function validMachineIdentity(): MachineIdentityEntity {
  return {
    apiVersion: 'nhi.backstage.io/v1alpha1',
    kind: 'MachineIdentity',
    metadata: {
      name: 'payments-db-writer',
      namespace: 'default',
      description: 'Writes settlement rows',
    },
    spec: {
      type: 'service-account',
      owner: 'group:payments',
      system: 'payments',
      usedBy: ['component:payments-api', 'settlement-batch'],
      environment: 'production',
      provider: 'aws-iam',
      externalId: 'arn:aws:iam::123456789012:user/payments-db-writer',
      purpose: 'Settlement writes to the payments database',
      scopes: ['rds:payments:write'],
      privilege: 'write',
      credential: {
        rotation: 'manual',
        createdAt: '2026-01-10',
        lastRotatedAt: '2026-08-01',
        expiresAt: '2027-01-10',
        rotationPeriod: 'P90D',
      },
      approval: {
        approvedBy: 'user:alice',
        approvedAt: '2026-01-09',
        ticket: 'SEC-1423',
      },
      backupOwner: 'user:dana.reyes',
    },
  };
}

/** Sets a value at a dotted path of a copy of the valid identity (undefined deletes it). */
export function withField(path: string, value: unknown): MachineIdentityEntity {
  const entity = validMachineIdentity() as any;
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce((node, key) => node[key], entity);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return entity;
}
