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

describe('the secret scan on hostile text', () => {
  const MB = 1024 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(MB / unit.length));
  // Each shape once made a rule retry from every character (`-a-a…`: 16 s at 160 KB, blocking
  // the event loop) or flooded secretlint's quadratic duplicate filter with matches (`AKIA…`).
  const SHAPES: Array<[string, string]> = [
    ['-a', fill('-a')],
    ['a:', fill('a:')],
    ['=', fill('=')],
    ['base64 characters', fill('Ab0+/')],
    ['://', fill('a://')],
    ['A_', fill('A_')],
    ['PASSWORD', fill('PASSWORD')],
    ['a name then spaces', `secret access key${' '.repeat(MB)}`],
    ['-u', fill('-u ')],
    ['JWT-like runs', fill('eyJaaaaaaaaa.')],
    ['AWS key ids', fill('AKIAAAAAAAAAAAAAAAAA ')],
  ];

  // A linear scan of 1 MB takes well under a second; jest's timeout is the bound a user notices
  // (the backend answering at all). A quadratic one ran for minutes.
  it.each(SHAPES)(
    'scans 1 MB of %s without hanging',
    async (_name, text) => {
      await expect(
        scanSecretMaterial({ justification: text }),
      ).resolves.toBeDefined();
      expect(detectSecretMaterial({ justification: text })).toBeDefined();
    },
    15_000,
  );

  it('still finds a secret in a long text, wherever the windows it is read in fall', async () => {
    const token = `ghp_${'a1B2c3D4'.repeat(5)}`;
    for (const at of [0, 24 * 1024 - 10, 32 * 1024 - 10, 90_000]) {
      const text = `${'word '.repeat(at / 5)}${token} ${'word '.repeat(
        20_000,
      )}`;
      const findings = await scanSecretMaterial({ note: text }, 'body');
      expect(findings.map(f => f.path)).toEqual(['body.note']);
    }
  });
});
