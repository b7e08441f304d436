import fs from 'fs';
import path from 'path';
import type { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessorResult,
  parseEntityYaml,
} from '@backstage/plugin-catalog-node';
import {
  describeIssues,
  validateMachineIdentity,
} from '@nhi-governance/plugin-nhi-common';
import { createSecretRedactingParser } from './secretRedactingParser';
import { fixtureSecretsIn } from '../__fixtures__/secrets/secrets';

// Counts secretlint runs, to see how many scans one declaration costs; each run is the real one.
let secretlintRuns = 0;
jest.mock('@secretlint/core', () => {
  const actual = jest.requireActual('@secretlint/core');
  return {
    ...actual,
    lintSource: (...args: unknown[]) => {
      secretlintRuns += 1;
      return actual.lintSource(...args);
    },
  };
});

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '../__fixtures__/secrets', name));

async function parse(
  data: string | Buffer,
  parser = createSecretRedactingParser(),
): Promise<CatalogProcessorResult[]> {
  const results: CatalogProcessorResult[] = [];
  for await (const result of parser({
    data: Buffer.from(data),
    location: { type: 'file', target: '/catalog/identities.yaml' },
  })) {
    results.push(result);
  }
  return results;
}

const entities = (results: CatalogProcessorResult[]) =>
  results.flatMap(r => (r.type === 'entity' ? [r.entity] : []));
const byName = (results: CatalogProcessorResult[], name: string) =>
  entities(results).find(e => e.metadata.name === name) as Entity;

describe('createSecretRedactingParser', () => {
  it('takes every secret out of a MachineIdentity, keeping each field and why', async () => {
    const results = await parse(fixture('identities.yaml'));
    expect(fixtureSecretsIn(JSON.stringify(results))).toEqual([]);
    const leaky = byName(results, 'leaky-ci-deployer');
    expect(leaky.metadata.description).toMatch(
      /^\[redacted: looks like an AWS (access key id|secret access key)\]$/,
    );
    expect(leaky.metadata.annotations).toEqual({
      'deploy.example.com/ssh-key': '[redacted: looks like a private key]',
    });
    expect(leaky.spec).toMatchObject({
      purpose: '[redacted: looks like a GitHub token]',
      credential: { password: '[redacted: is a field for secret material]' },
      // An access key's owner is named by it: the account and user stay.
      externalId: 'arn:aws:iam::123456789012:user/ci-deployer',
    });
  });

  it('leaves what holds no secret as the catalog read it', async () => {
    const plain = await parse(
      fixture('identities.yaml'),
      async function* catalogParser({ data, location }) {
        // The catalog's own parser, for comparison.
        yield* parseEntityYaml(data, location);
      },
    );
    const results = await parse(fixture('identities.yaml'));
    expect(byName(results, 'payments-db-writer')).toEqual(
      byName(plain, 'payments-db-writer'),
    );
    expect(byName(results, 'payments')).toEqual(byName(plain, 'payments'));
    expect(results.map(r => r.type)).toEqual(plain.map(r => r.type));
  });

  it('leaves the identity refused, naming each field and the reason', async () => {
    const leaky = byName(
      await parse(fixture('identities.yaml')),
      'leaky-ci-deployer',
    );
    const result = validateMachineIdentity(leaky);
    expect(result.valid).toBe(false);
    const message = describeIssues((result as any).issues);
    expect(message).toContain('spec.purpose looks like a GitHub token');
    expect(message).toContain(
      'spec.credential.password is a field for secret material',
    );
    expect(message).toContain(
      'metadata.annotations.deploy.example.com/ssh-key looks like a private key',
    );
    expect(message).toContain('metadata.description looks like an AWS');
    expect((result as any).carriesSecretMaterial).toBe(true);
  });

  it('redacts whatever the kind is spelt like and whatever the apiVersion', async () => {
    const [result] = await parse(
      'apiVersion: example.com/v9\nkind: machineidentity\nmetadata: { name: x }\nspec:\n  purpose: 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\n',
    );
    expect(JSON.stringify(result)).not.toContain('ghp_');
  });

  it('renames a field whose own name is a secret, keeping its value', async () => {
    const [result] = await parse(
      'apiVersion: nhi.backstage.io/v1alpha1\nkind: MachineIdentity\nmetadata:\n  name: x\n  annotations:\n    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: read-only\n',
    );
    expect(JSON.stringify(result)).not.toContain('ghp_');
    expect((result as any).entity.metadata.annotations).toEqual({
      '[redacted: has a field name that looks like a GitHub token]':
        'read-only',
    });
  });

  it('renames every secret field name of an object from one scan of its names, not one per name', async () => {
    const plain = Array.from(
      { length: 40 },
      (_, i) => `    team.example.com/k${i}: v${i}`,
    );
    const yaml = [
      'apiVersion: nhi.backstage.io/v1alpha1',
      'kind: MachineIdentity',
      'metadata:',
      '  name: x',
      '  annotations:',
      ...plain,
      '    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: one',
      '    ghp_aWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUb: two',
      '',
    ].join('\n');
    secretlintRuns = 0;
    const [result] = await parse(yaml);
    const annotations = (result as any).entity.metadata.annotations;
    expect(JSON.stringify(result)).not.toContain('ghp_');
    expect(Object.keys(annotations)).toHaveLength(42);
    expect(annotations['team.example.com/k7']).toBe('v7');
    expect(
      Object.entries(annotations).filter(([k]) => k.startsWith('[redacted: ')),
    ).toEqual([
      ['[redacted: has a field name that looks like a GitHub token]', 'one'],
      [
        '[redacted: has a field name that looks like a GitHub token (2)]',
        'two',
      ],
    ]);
    // The entity, its field names, and a second look: a few runs, not one per annotation.
    expect(secretlintRuns).toBeLessThan(10);
  });

  // A secret that is the name of a top-level field has no field to be redacted in.
  it('keeps only the kind and name of a declaration whose secret it cannot place', async () => {
    const [result] = await parse(
      'apiVersion: nhi.backstage.io/v1alpha1\nkind: MachineIdentity\nmetadata: { name: x }\n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: 1\nspec: { type: api-key }\n',
    );
    const entity = (result as any).entity;
    expect(entity).toEqual({
      apiVersion: 'nhi.backstage.io/v1alpha1',
      kind: 'MachineIdentity',
      metadata: { name: 'x' },
      spec: '[redacted: carried secret material that could not be taken out field by field]',
    });
    const validation = validateMachineIdentity(entity);
    expect(validation).toMatchObject({
      valid: false,
      carriesSecretMaterial: true,
    });
  });

  it('passes other kinds through untouched', async () => {
    const yaml =
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\n  description: 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\n';
    const [result] = await parse(yaml);
    expect((result as any).entity.metadata.description).toBe(
      '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',
    );
  });

  it('drops the line a YAML error quotes, keeping where it is', async () => {
    const results = await parse(fixture('broken-yaml.yaml'));
    expect(results).toHaveLength(1);
    expect(results[0].type).toBe('error');
    const message = (results[0] as any).error.message;
    expect(message).toMatch(/^YAML error at file:\/catalog\/identities.yaml, /);
    expect(message).toContain('at line 8, column');
    expect(message).not.toContain('ghp_');
  });

  it('withstands a declaration nested thousands deep', async () => {
    const deep = `${'{a: '.repeat(
      5000,
    )}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${'}'.repeat(5000)}`;
    const results = await parse(
      `apiVersion: nhi.backstage.io/v1alpha1\nkind: MachineIdentity\nmetadata: { name: x }\nspec: { nested: ${deep} }\n`,
    );
    expect(JSON.stringify(results)).not.toContain('ghp_');
  });
});
