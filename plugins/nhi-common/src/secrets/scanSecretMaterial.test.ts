import { detectSecretMaterial } from './detectSecretMaterial';
import { scanSecretMaterial } from './scanSecretMaterial';
import { MISSED_FORMATS } from './__fixtures__/missedFormats';

describe('scanSecretMaterial', () => {
  it.each(MISSED_FORMATS)(
    'refuses $name, which the hand-written list let through, naming the field and never the secret',
    async ({ secret, text }) => {
      const body = {
        decisions: [
          { identityRef: 'machineidentity:default/ci-deployer', reason: 'ok' },
          { identityRef: 'machineidentity:default/ci-deployer', reason: text },
        ],
      };
      const findings = await scanSecretMaterial(body, 'body');
      expect([...new Set(findings.map(f => f.path))]).toEqual([
        'body.decisions[1].reason',
      ]);
      expect(findings[0].reason).toMatch(/^looks like /);
      const shown = JSON.stringify(findings);
      for (const part of secret) expect(shown).not.toContain(part);
    },
  );

  it.each(MISSED_FORMATS)(
    'also refuses $name synchronously, for the catalog validator',
    ({ text }) => {
      const findings = detectSecretMaterial({ purpose: text }, 'spec');
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.every(f => f.path === 'spec.purpose')).toBe(true);
    },
  );

  it('names each string of a batch by its own path, from one scan', async () => {
    const findings = await scanSecretMaterial(
      [
        { id: 'e1', actor: 'ci' },
        {
          id: 'e2',
          userAgent: 'curl/8.5',
          region: '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',
        },
        { id: 'e3', note: 'fine' },
        { id: 'e4', tags: ['x', 'AKIAQ3EGRTPC4EXAMPLE'] },
      ],
      'events',
    );
    expect(findings.map(f => [f.path, f.rule])).toEqual([
      ['events[1].region', '@secretlint/secretlint-rule-github'],
      ['events[3].tags[1]', 'nhi/aws-access-key-id'],
    ]);
  });

  it('keeps the field-name rules, and turns them off for maps of names chosen by others', async () => {
    const value = { privateKey: 'abc', 'vault.io/secrets-path': 'kv/payments' };
    expect(await scanSecretMaterial(value, 'spec')).toEqual([
      {
        path: 'spec.privateKey',
        reason: 'is a field for secret material',
        rule: 'nhi/secret-field-name',
      },
      expect.objectContaining({ path: 'spec.vault.io/secrets-path' }),
    ]);
    expect(
      await scanSecretMaterial(
        { 'vault.io/secrets-path': 'kv/payments' },
        'a',
        {
          checkFieldNames: false,
        },
      ),
    ).toEqual([]);
  });

  it('accepts an access key id where a field names a credential by its id, and nowhere else', async () => {
    const value = {
      externalId: 'AKIAQ3EGRTPC4EXAMPLE',
      purpose: 'CI deploys with AKIAQ3EGRTPC4EXAMPLE',
    };
    expect((await scanSecretMaterial(value, 'spec')).map(f => f.path)).toEqual([
      'spec.purpose',
    ]);
    expect(detectSecretMaterial(value, 'spec').map(f => f.path)).toEqual([
      'spec.purpose',
    ]);
  });

  it('reports a secret used as a field name at the object holding it, without the name', async () => {
    const token = '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';
    const findings = await scanSecretMaterial(
      { labels: { [token]: 'x' } },
      'metadata',
      { checkFieldNames: false },
    );
    expect(findings).toEqual([
      expect.objectContaining({
        path: 'metadata.labels',
        reason: 'has a field name that looks like a GitHub token',
      }),
    ]);
    expect(JSON.stringify(findings)).not.toContain(token);
  });

  it('cannot be switched off by a secretlint-disable comment in the text', async () => {
    const findings = await scanSecretMaterial({
      reason: '// secretlint-disable\n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',
    });
    expect(findings.map(f => f.path)).toEqual(['reason']);
  });

  it('walks input nested 100,000 deep without overflowing the stack', async () => {
    let deep: unknown =
      'xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const findings = await scanSecretMaterial(deep, 'body');
    expect(findings).toHaveLength(1);
    expect(findings[0].path).toMatch(/^body(\[0\]){100000}$/);
    expect(detectSecretMaterial(deep, 'body')).toHaveLength(1);
  });

  it('stops at a value that contains itself', async () => {
    const looped: Record<string, unknown> = { note: 'fine' };
    looped.self = looped;
    expect(await scanSecretMaterial(looped)).toEqual([]);
  });

  it('finds nothing in a value without strings', async () => {
    expect(
      await scanSecretMaterial({ count: 3, ok: true, none: null }),
    ).toEqual([]);
  });
});
