import fs from 'fs';
import path from 'path';
import { Readable } from 'stream';
import type { SourceWarning } from '@nhi-governance/plugin-nhi-node';
import { parseAccessKeys } from './parseAccessKeys';

const SETTINGS = { accountId: '123456789012' };

async function read(
  text: string,
  settings: Record<string, unknown> = SETTINGS,
) {
  const warnings: SourceWarning[] = [];
  const items = [];
  for await (const item of parseAccessKeys(
    Readable.from([text]),
    w => warnings.push(w),
    settings,
  )) {
    items.push(item);
  }
  return { items, warnings };
}

const line = (keys: unknown[]) => JSON.stringify({ AccessKeyMetadata: keys });

describe('parseAccessKeys', () => {
  it("reads the AWS CLI's documented list-access-keys output", async () => {
    const sample = fs.readFileSync(
      path.join(__dirname, '__fixtures__/list-access-keys.jsonl'),
      'utf8',
    );
    const { items, warnings } = await read(sample);
    expect(warnings).toEqual([]);
    expect(items).toEqual([
      expect.objectContaining({
        provider: 'aws',
        kind: 'access-key',
        principal: 'arn:aws:iam::123456789012:user/Bob',
        displayName: 'Bob key …MPLE',
        active: true,
        createdAt: '2013-06-04T18:17:34.000Z',
      }),
      expect.objectContaining({
        principal: 'arn:aws:iam::123456789012:user/Bob',
        active: false,
        createdAt: '2013-06-06T20:42:26.000Z',
      }),
    ]);
    // Two keys, two ids, and neither is the access key id itself.
    expect(new Set(items.map(i => i.externalId)).size).toBe(2);
    for (const item of items) {
      expect(item.externalId).toMatch(
        /^arn:aws:iam::123456789012:user\/Bob#[0-9a-f]{16}$/,
      );
      expect(JSON.stringify(item)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    }
  });

  it('puts users under the configured IAM path', async () => {
    const { items } = await read(
      line([
        {
          UserName: 'soap-gateway',
          Status: 'Active',
          CreateDate: '2024-01-02T03:04:05Z',
          AccessKeyId: 'AKIAEXAMPLEKEY000001',
        },
      ]),
      { ...SETTINGS, userPath: '/integrations/' },
    );
    expect(items[0].principal).toBe(
      'arn:aws:iam::123456789012:user/integrations/soap-gateway',
    );
  });

  it('reads an odd cell as unknown and warns, naming the line and field but not the value', async () => {
    const { items, warnings } = await read(
      [
        line([]),
        line([
          {
            UserName: 'ci',
            Status: 'Suspended',
            CreateDate: 'yesterday',
            AccessKeyId: 'AKIAEXAMPLEKEY000002',
          },
        ]),
      ].join('\n'),
    );
    expect(items).toEqual([
      expect.objectContaining({ active: true, principal: expect.any(String) }),
    ]);
    expect(items[0].createdAt).toBeUndefined();
    expect(warnings).toEqual([
      {
        location: 'line 2 AccessKeyMetadata[0]',
        field: 'Status',
        reason:
          'must be Active or Inactive, got a text of 9 characters; read as active',
      },
      {
        location: 'line 2 AccessKeyMetadata[0]',
        field: 'CreateDate',
        reason:
          'must be an ISO 8601 time, got a text of 9 characters; read as unknown',
      },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('yesterday');
  });

  it('fails a file that is not list-access-keys output, naming the line and why', async () => {
    await expect(read('{"Users": []}')).rejects.toThrow(
      'aws-iam-access-keys line 1: has no AccessKeyMetadata list: not the output of aws iam list-access-keys',
    );
    await expect(read(`${line([])}\n{"AccessKeyMetadata": [`)).rejects.toThrow(
      /^aws-iam-access-keys line 2: is not JSON/,
    );
    await expect(read('')).rejects.toThrow(
      'aws-iam-access-keys line 1: the file holds no list-access-keys response: empty or cut short',
    );
  });

  it('fails a key it cannot tell apart, without showing the value', async () => {
    await expect(
      read(line([{ UserName: 'ci', Status: 'Active', AccessKeyId: 42 }])),
    ).rejects.toThrow(
      'aws-iam-access-keys line 1 AccessKeyMetadata[0].AccessKeyId: must be an access key id, got a number',
    );
  });

  it('fails without the account id, naming the setting', async () => {
    await expect(read(line([]), {})).rejects.toThrow(
      'aws-iam-access-keys settings.accountId: is required: the 12-digit AWS account id',
    );
  });
});
