import { z } from 'zod';
import { machineIdentityEntitySchema } from './schema';

/**
 * JSON Schema (draft 2020-12) of the MachineIdentity kind, generated from the zod schema so
 * the two cannot drift. Editors and CI linters can validate catalog-info.yaml files with it;
 * `schema/MachineIdentity.v1alpha1.schema.json` is this value written to disk.
 */
export function machineIdentityJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(machineIdentityEntitySchema, {
      io: 'input',
      unrepresentable: 'any',
    }),
    $id: 'https://nhi.backstage.io/schema/MachineIdentity.v1alpha1.schema.json',
    title: 'MachineIdentity',
    description:
      'A machine identity (service account, API key, token, OAuth client, certificate, SSH key, workload identity, CI runner or AI agent) declared in the Backstage catalog. Never holds secret values.',
  };
}
