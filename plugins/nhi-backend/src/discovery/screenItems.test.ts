import type {
  DiscoveredCredential,
  LeakReport,
} from '@nhi-governance/plugin-nhi-common';
import type { SourceWarning } from './parsers/SourceWarning';
import {
  CREDENTIAL_SHAPE,
  ItemShape,
  LEAK_SHAPE,
  screenPage,
} from './screenItems';

// The token secretlint's own GitHub rule tests with: the shape of a classic personal token.
const TOKEN = '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';
const ARN = 'arn:aws:iam::123456789012:user/ci-deployer';

const key = (
  n: number,
  extra: Partial<DiscoveredCredential> = {},
): DiscoveredCredential => ({
  provider: 'aws',
  externalId: `${ARN}#access_key_${n}`,
  kind: 'access-key',
  principal: ARN,
  displayName: `ci-deployer access key ${n}`,
  active: true,
  ...extra,
});

async function screen<T extends object>(
  items: T[],
  shape: ItemShape<T>,
  first = 1,
) {
  const warnings: SourceWarning[] = [];
  const kept = await screenPage(items, first, shape, w => warnings.push(w));
  return { kept, warnings };
}

describe('screenPage', () => {
  it('passes clean items as they are, in normal form C', async () => {
    // "é" written as e and a combining accent, as some systems export it.
    const decomposed = key(1, { displayName: 'cafe\u0301 key' });
    const { kept, warnings } = await screen(
      [decomposed, key(2)],
      CREDENTIAL_SHAPE,
    );
    expect(warnings).toEqual([]);
    expect(kept).toEqual([
      { ...decomposed, displayName: 'caf\u00e9 key' },
      key(2),
    ]);
  });

  it('drops a field holding secret material or a control character, naming record and field, never the value', async () => {
    const { kept, warnings } = await screen(
      [
        key(1),
        key(2, { lastUsedService: TOKEN, displayName: 'ci\u0000deployer' }),
      ],
      CREDENTIAL_SHAPE,
      501,
    );
    expect(kept).toEqual([
      key(1),
      (({ displayName, ...rest }) => rest)(key(2)),
    ]);
    expect(warnings).toEqual([
      {
        location: `record 502 (${ARN}#access_key_2)`,
        field: 'displayName',
        reason: 'contains a NUL character (U+0000): read as unknown',
      },
      {
        location: `record 502 (${ARN}#access_key_2)`,
        field: 'lastUsedService',
        reason: expect.stringMatching(
          /^looks like a GitHub .*: read as unknown$/,
        ),
      },
    ]);
    expect(JSON.stringify(warnings)).not.toContain(TOKEN.slice(4, 12));
  });

  it('leaves out one entry of a list, keeping the others', async () => {
    const { kept, warnings } = await screen(
      [key(1, { scopes: ['s3:GetObject', TOKEN, 'sqs:SendMessage'] })],
      CREDENTIAL_SHAPE,
    );
    expect(kept[0].scopes).toEqual(['s3:GetObject', 'sqs:SendMessage']);
    expect(warnings).toEqual([
      expect.objectContaining({
        field: 'scopes[1]',
        reason: expect.stringMatching(/: left out$/),
      }),
    ]);
  });

  it('leaves out a record whose required field is refused, and does not name it by that field', async () => {
    const { kept, warnings } = await screen(
      [key(1, { externalId: `${ARN}#${TOKEN}` }), key(2)],
      CREDENTIAL_SHAPE,
    );
    expect(kept).toEqual([key(2)]);
    expect(warnings).toEqual([
      {
        location: 'record 1',
        field: 'externalId',
        reason: expect.stringMatching(
          /: the record was left out, as it means nothing without this field$/,
        ),
      },
    ]);
  });

  it('accepts an AWS access key id where it names the credential, not elsewhere', async () => {
    const leak: LeakReport = {
      scanner: 'gitleaks',
      rule: 'aws-access-token',
      keyId: 'AKIAQ3EGRTPC4EXAMPLE',
      file: 'deploy/AKIAQ3EGRTPC4EXAMPLE.txt',
    };
    const { kept, warnings } = await screen([leak], LEAK_SHAPE);
    expect(kept).toEqual([
      {
        scanner: 'gitleaks',
        rule: 'aws-access-token',
        keyId: 'AKIAQ3EGRTPC4EXAMPLE',
      },
    ]);
    expect(warnings).toEqual([
      expect.objectContaining({ location: 'record 1', field: 'file' }),
    ]);
  });

  it('refuses a line break in an id but keeps one in prose', async () => {
    const { kept, warnings } = await screen(
      [
        key(1, { principal: `${ARN}\n` }),
        key(2, { disabledReason: 'Exposed key\nreported by Google' }),
      ],
      CREDENTIAL_SHAPE,
    );
    expect(kept).toEqual([
      key(2, { disabledReason: 'Exposed key\nreported by Google' }),
    ]);
    expect(warnings).toEqual([
      expect.objectContaining({
        field: 'principal',
        reason: expect.stringContaining('line break'),
      }),
    ]);
  });
});
