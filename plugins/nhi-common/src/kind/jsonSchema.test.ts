import fs from 'fs';
import path from 'path';
import { machineIdentityJsonSchema } from './jsonSchema';

const SCHEMA_FILE = path.resolve(
  __dirname,
  '../../schema/MachineIdentity.v1alpha1.schema.json',
);

describe('machineIdentityJsonSchema', () => {
  const schema = machineIdentityJsonSchema() as any;

  it('describes the required fields and the allowed types', () => {
    expect(schema.required).toEqual(
      expect.arrayContaining(['apiVersion', 'kind', 'metadata', 'spec']),
    );
    expect(schema.properties.spec.required).toEqual([
      'type',
      'owner',
      'purpose',
    ]);
    expect(schema.properties.spec.properties.type.enum).toContain(
      'workload-identity',
    );
    expect(schema.properties.spec.additionalProperties).toBe(false);
  });

  // The committed file is what editors and linters use; it must match the validator.
  it('is committed in schema/ (run `yarn schema:update` after changing the kind)', () => {
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA) {
      fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
      fs.writeFileSync(SCHEMA_FILE, text);
    }
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(text);
  });
});
