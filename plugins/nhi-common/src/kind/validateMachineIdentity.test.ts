import {
  validMachineIdentity,
  withField,
} from '../__fixtures__/machineIdentity';
import { MACHINE_IDENTITY_TYPES } from './vocabulary';
import { redactionMarker } from '../secrets/redactionMarker';
import {
  describeIssues,
  validateMachineIdentity,
} from './validateMachineIdentity';

function issuesOf(entity: unknown) {
  const result = validateMachineIdentity(entity);
  if (result.valid) throw new Error('expected the entity to be rejected');
  return result;
}

describe('validateMachineIdentity', () => {
  it('accepts a complete identity and returns it typed', () => {
    const result = validateMachineIdentity(validMachineIdentity());
    expect(result.valid).toBe(true);
    expect(result.valid && result.entity.spec.owner).toBe('group:payments');
  });

  it('accepts the smallest identity: type, owner and purpose', () => {
    const entity = validMachineIdentity();
    entity.spec = {
      type: 'api-key',
      owner: 'payments',
      purpose: 'Calls the card network',
    };
    expect(validateMachineIdentity(entity).valid).toBe(true);
  });

  it.each(MACHINE_IDENTITY_TYPES)('accepts type %s', type => {
    expect(validateMachineIdentity(withField('spec.type', type)).valid).toBe(
      true,
    );
  });

  it.each(['qa', 'eu-production', 'sandbox2'])(
    'accepts the environment word %s',
    env => {
      expect(
        validateMachineIdentity(withField('spec.environment', env)).valid,
      ).toBe(true);
    },
  );

  it('accepts cloud role names with inner spaces as scopes', () => {
    const entity = withField('spec.scopes', [
      'Azure Event Hubs Data Receiver:partner-events',
    ]);
    expect(validateMachineIdentity(entity).valid).toBe(true);
  });

  it('compares a date with a timestamp by day', () => {
    const entity = validMachineIdentity();
    entity.spec.credential = {
      createdAt: '2026-01-10T12:00:00Z',
      expiresAt: '2026-01-10',
    };
    expect(validateMachineIdentity(entity).valid).toBe(true);
  });

  it('accepts a purpose written over several lines, and in any script', () => {
    const entity = withField(
      'spec.purpose',
      'Writes settlement rows.\nReads the café ledger (כתיבה).',
    );
    expect(validateMachineIdentity(entity).valid).toBe(true);
  });

  it('accepts full ISO timestamps as dates', () => {
    const entity = withField(
      'spec.credential.lastRotatedAt',
      '2026-08-01T10:15:00Z',
    );
    expect(validateMachineIdentity(entity).valid).toBe(true);
  });

  it.each([
    [
      'spec.type',
      'magic-key',
      'spec.type must be one of service-account, api-key',
    ],
    ['spec.type', undefined, 'spec.type is required'],
    ['spec.owner', undefined, 'spec.owner is required'],
    [
      'spec.owner',
      'component:payments-api',
      'spec.owner must be an entity ref of kind group or user',
    ],
    ['spec.owner', 'group:', 'spec.owner must be an entity ref'],
    ['spec.purpose', undefined, 'spec.purpose is required'],
    ['spec.purpose', '   ', 'spec.purpose must not be empty'],
    [
      'spec.usedBy',
      'component:payments-api',
      'spec.usedBy must be a list of entity refs',
    ],
    [
      'spec.usedBy',
      ['component:a', 'component:a'],
      'spec.usedBy must not list the same entry twice',
    ],
    [
      'spec.scopes',
      ['caf\u00e9:read', 'cafe\u0301:read'],
      'spec.scopes must not list the same entry twice',
    ],
    ['spec.usedBy', [42], 'spec.usedBy[0] must be an entity ref'],
    [
      'spec.system',
      'group:payments',
      'spec.system must be an entity ref of kind system',
    ],
    [
      'spec.environment',
      'Production',
      'spec.environment must be a lowercase word',
    ],
    [
      'spec.provider',
      'AWS IAM',
      'spec.provider must be a lowercase provider name',
    ],
    [
      'spec.scopes',
      ['rds:read', ' padded'],
      'spec.scopes[1] must be a non-empty, single-line scope',
    ],
    [
      'spec.scopes',
      ['two\nlines'],
      'spec.scopes[0] must be a non-empty, single-line scope',
    ],
    [
      'spec.privilege',
      'root',
      'spec.privilege must be one of read, write, admin',
    ],
    [
      'spec.credential.rotation',
      'weekly',
      'spec.credential.rotation must be one of automatic, manual, none',
    ],
    [
      'spec.credential.createdAt',
      '10/01/2026',
      'spec.credential.createdAt must be an ISO 8601 date',
    ],
    [
      'spec.credential.expiresAt',
      '2026-02-30',
      'spec.credential.expiresAt must be a date that exists on the calendar',
    ],
    [
      'spec.credential.createdAt',
      '0000-01-01',
      'spec.credential.createdAt must fall in the years 1970 to 9999',
    ],
    [
      'spec.approval.approvedAt',
      '2026-02-29T10:00:00Z',
      'spec.approval.approvedAt must be a date that exists on the calendar',
    ],
    ['spec.purpose', '\u200b\u200b\u200b', 'spec.purpose must not be empty'],
    [
      'spec.purpose',
      'Settlement \u0000writes',
      'spec.purpose contains a NUL character (U+0000)',
    ],
    [
      'spec.externalId',
      'arn:aws:iam::1:user/x\ud800',
      'spec.externalId contains a lone surrogate (U+D800)',
    ],
    [
      'spec.externalId',
      'arn:aws:iam::1:user/x\ny',
      'spec.externalId contains a line break or tab (U+000A)',
    ],
    [
      'spec.scopes',
      ['rds:\u202Eetirw'],
      'spec.scopes[0] contains a bidirectional override (U+202E)',
    ],
    [
      'spec.owner',
      'group:pay\u001bments',
      'spec.owner contains a control character (U+001B)',
    ],
    [
      'spec.approval.ticket',
      '\ufeff\u2060',
      'spec.approval.ticket must not be empty',
    ],
    [
      'spec.credential.expiresAt',
      '2025-01-01',
      'spec.credential.expiresAt must not be before credential.createdAt',
    ],
    [
      'spec.credential.lastRotatedAt',
      '2025-12-31',
      'spec.credential.lastRotatedAt must not be before credential.createdAt',
    ],
    [
      'spec.credential.rotationPeriod',
      '90 days',
      'spec.credential.rotationPeriod must be a positive ISO 8601 duration',
    ],
    [
      'spec.credential.rotationPeriod',
      'P0D',
      'spec.credential.rotationPeriod must be a positive ISO 8601 duration',
    ],
    ['spec.credential', 'yearly', 'spec.credential must be an object'],
    [
      'spec.approval.approvedBy',
      undefined,
      'spec.approval.approvedBy is required',
    ],
    [
      'spec.approval.approvedAt',
      '10:00',
      'spec.approval.approvedAt must be an ISO 8601 date',
    ],
    [
      'spec.approval.approvedAt',
      'yesterday',
      'spec.approval.approvedAt must be an ISO 8601 date',
    ],
    [
      'spec.backupOwner',
      'system:payments',
      'spec.backupOwner must be an entity ref of kind user or group',
    ],
    [
      'spec.owners',
      ['group:payments'],
      'spec.owners is not a MachineIdentity field',
    ],
    [
      'spec.credential.rotatedEvery',
      'P30D',
      'spec.credential.rotatedEvery is not a MachineIdentity field',
    ],
  ])('rejects %s = %j with "%s"', (path, value, expected) => {
    const { issues, carriesSecretMaterial } = issuesOf(withField(path, value));
    expect(carriesSecretMaterial).toBe(false);
    expect(describeIssues(issues)).toContain(expected);
  });

  it('reports every problem of an entity at once', () => {
    const entity = validMachineIdentity() as any;
    entity.spec.type = 'magic-key';
    delete entity.spec.purpose;
    entity.spec.privilege = 'root';
    const paths = issuesOf(entity)
      .issues.map(i => i.path)
      .sort();
    expect(paths).toEqual(['spec.privilege', 'spec.purpose', 'spec.type']);
  });

  it('rejects a missing spec', () => {
    const entity = withField('spec', undefined);
    expect(describeIssues(issuesOf(entity).issues)).toBe('spec is required');
  });

  it.each([
    ['spec.secret', 'hunter2'],
    ['spec.token', 'abc'],
    ['spec.password', 'hunter2'],
    ['spec.privateKey', 'MIIEvQIBADANBg'],
    ['spec.value', 'abc'],
    ['spec.credential.value', 'abc'],
    ['spec.credential.privateKey', 'abc'],
    ['spec.credential.client_secret', 'abc'],
    ['spec.credential.accessToken', 'abc'],
  ])('refuses the secret-material field %s', path => {
    const result = issuesOf(withField(path, 'do-not-echo-this'));
    expect(result.carriesSecretMaterial).toBe(true);
    const message = describeIssues(result.issues);
    expect(message).toContain(`${path} is a field for secret material`);
    expect(message).toContain('secrets never belong in the catalog');
    expect(message).not.toContain('do-not-echo-this');
  });

  it.each([
    [
      'spec.externalId',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
      'a private key',
    ],
    [
      'spec.purpose',
      'uses ghp_0123456789abcdefghijklmnopqrstuvwxyzAB',
      'a GitHub token',
    ],
    ['spec.scopes', ['read', 'xoxb-1234567890-abcdefghijkl'], 'a Slack token'],
    [
      'metadata.description',
      'postgres://app:s3cret@db.internal/payments',
      'a URL with an embedded password',
    ],
    [
      'metadata.description',
      'cache at redis://:s3cret@cache.internal:6379',
      'a URL with an embedded password',
    ],
    [
      'metadata.links',
      [{ url: 'https://deploy:hunter2@ci.internal/job', title: 'CI' }],
      'a URL with an embedded password',
    ],
    [
      'spec.externalId',
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----',
      'a private key',
    ],
    [
      'spec.purpose',
      'npm_abcdefghijklmnopqrstuvwxyz0123456789',
      'an npm token',
    ],
    ['spec.purpose', 'sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'a Stripe secret key'],
    [
      'spec.purpose',
      'AIzaSyA-1234567890abcdefghijklmnopqrst-',
      'a Google API key',
    ],
  ])('refuses a secret value in %s', (path, value, kind) => {
    const result = issuesOf(withField(path, value));
    expect(result.carriesSecretMaterial).toBe(true);
    expect(describeIssues(result.issues)).toContain(`looks like ${kind}`);
  });

  it.each([
    [
      'a secret value in a label',
      'metadata.labels',
      { note: 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB' },
    ],
    [
      'a secret value in an annotation',
      'metadata.annotations',
      { 'example.com/dsn': 'mysql://app:pw@db/x' },
    ],
  ])('refuses %s', (_case, path, value) => {
    expect(issuesOf(withField(path, value)).carriesSecretMaterial).toBe(true);
  });

  // Annotation keys are other tools' names: a pointer to a vault path is what we ask for.
  it('accepts annotations whose names mention secrets but hold no secret', () => {
    const entity = withField('metadata.annotations', {
      'vault.io/secrets-path': 'kv/payments/db-writer',
      'example.com/token-issuer': 'https://sts.amazonaws.com',
    });
    expect(validateMachineIdentity(entity).valid).toBe(true);
  });

  // The catalog's parser takes secrets out before the catalog stores anything; what it leaves
  // must still be refused, with the same field and reason.
  it.each([
    ['spec.purpose', 'looks like a GitHub token'],
    ['metadata.description', 'looks like an AWS secret access key'],
    ['metadata.annotations', 'looks like a private key'],
  ])('refuses a redacted secret in %s, naming the reason', (path, reason) => {
    const value =
      path === 'metadata.annotations'
        ? { 'example.com/key': redactionMarker(reason) }
        : redactionMarker(reason);
    const result = issuesOf(withField(path, value));
    expect(result.carriesSecretMaterial).toBe(true);
    expect(describeIssues(result.issues)).toContain(reason);
    expect(describeIssues(result.issues)).toContain(path);
  });

  it('reports a redacted secret-material field once', () => {
    const result = issuesOf(
      withField(
        'spec.credential.password',
        redactionMarker('is a field for secret material'),
      ),
    );
    expect(describeIssues(result.issues)).toBe(
      'spec.credential.password is a field for secret material; secrets never belong in the catalog: declare the identity by provider and externalId, and keep the secret in its vault',
    );
  });
});
