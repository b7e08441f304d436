import { CodeSnippet, EmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import Typography from '@material-ui/core/Typography';

// The spec field that attaches an identity to this kind of entity: a group owns it,
// a system has it as a part, a component uses it. The entity's own owner is the likely owner.
function attachingLines(entity: Entity): string {
  const ref = stringifyEntityRef(entity);
  const owner =
    typeof entity.spec?.owner === 'string'
      ? entity.spec.owner
      : 'group:my-team';
  switch (entity.kind.toLocaleLowerCase('en-US')) {
    case 'group':
      return `  owner: ${ref}`;
    case 'system':
      return `  owner: ${owner}\n  system: ${ref}`;
    default:
      return `  owner: ${owner}\n  usedBy: [${ref}]`;
  }
}

export function exampleYaml(entity: Entity): string {
  return `apiVersion: nhi.backstage.io/v1alpha1
kind: MachineIdentity
metadata:
  name: orders-db-writer
spec:
  type: service-account
${attachingLines(entity)}
  purpose: Writes orders to the orders database
  environment: production
  provider: aws-iam
  externalId: arn:aws:iam::123456789012:user/orders-db-writer
  scopes: [rds:orders:write]
  privilege: write
  credential: { rotation: automatic, lastRotatedAt: '2026-11-01' }`;
}

/** Tells an owner how to declare the first machine identity of this entity. */
export function NoIdentities() {
  const { entity } = useEntity();
  return (
    <EmptyState
      missing="content"
      title="No machine identities yet"
      description="Service accounts, API keys, tokens, certificates and other credentials appear here once they are declared in the catalog. Add a MachineIdentity entity next to your catalog-info.yaml; it holds a reference to the credential, never the secret itself."
      action={
        <>
          <Typography variant="body1">Example:</Typography>
          <CodeSnippet
            language="yaml"
            text={exampleYaml(entity)}
            showCopyCodeButton
          />
        </>
      }
    />
  );
}
