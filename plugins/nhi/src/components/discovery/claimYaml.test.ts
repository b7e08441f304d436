import { validateMachineIdentity } from '@nhi-governance/plugin-nhi-common';
import { parse } from 'yaml';
import {
  discoveredAccount,
  identity,
} from '../EntityIdentitiesContent/__fixtures__/identities';
import { undeclaredKey } from '../SecurityPage/__testUtils__/securityFixtures';
import {
  PLACEHOLDER_OWNER,
  claimYaml,
  claimYamlForIdentity,
} from './claimYaml';

/** A discovered AWS access key as the backend registers it (provider as the source names it). */
const discoveredKey = identity('aws-legacy-batch-access-key-1-3f9a0c1b2d', {
  ref: 'machineidentity:discovered/aws-legacy-batch-access-key-1-3f9a0c1b2d',
  type: 'api-key',
  owner: undefined,
  usedBy: [],
  provider: 'aws',
  externalId: 'arn:aws:iam::123456789012:user/legacy-batch#access_key_1',
  scopes: [],
  credential: {
    createdAt: '2013-07-22T16:45:03.000Z',
    lastRotatedAt: '2013-07-22T16:50:10.000Z',
  },
  source: 'discovery:aws-example',
});

describe('claimYamlForIdentity', () => {
  it('names the credential itself, in the provider family the backend matches', () => {
    const claim = parse(claimYamlForIdentity(discoveredKey));
    expect(claim).toMatchObject({
      kind: 'MachineIdentity',
      metadata: { name: 'legacy-batch-access-key-1' },
      spec: {
        type: 'api-key',
        owner: PLACEHOLDER_OWNER,
        provider: 'aws-iam',
        externalId: 'arn:aws:iam::123456789012:user/legacy-batch#access_key_1',
        credential: { createdAt: '2013-07-22', lastRotatedAt: '2013-07-22' },
      },
    });
  });

  it("keeps the owner the source named and the identity's own type", () => {
    const claim = parse(claimYamlForIdentity(discoveredAccount));
    expect(claim.metadata.name).toBe('payments-payments-api');
    expect(claim.spec).toMatchObject({
      type: 'workload-identity',
      owner: 'group:default/payments',
      provider: 'kubernetes',
      externalId: 'system:serviceaccount:payments:payments-api',
      credential: { createdAt: '2025-02-14' },
    });
  });

  it.each([
    ['an AWS key', discoveredKey],
    ['a Kubernetes service account', discoveredAccount],
  ])('claims %s with YAML the catalog accepts', (_what, view) => {
    expect(
      validateMachineIdentity(parse(claimYamlForIdentity(view))),
    ).toMatchObject({ valid: true });
  });
});

describe('claimYaml', () => {
  it('claims an undeclared credential by its principal, with YAML the catalog accepts', () => {
    const text = claimYaml(undeclaredKey);
    const claim = parse(text);
    expect(claim.spec).toMatchObject({
      provider: 'aws-iam',
      externalId: undeclaredKey.principal,
      owner: 'group:default/data',
    });
    expect(validateMachineIdentity(claim)).toMatchObject({ valid: true });
  });
});
