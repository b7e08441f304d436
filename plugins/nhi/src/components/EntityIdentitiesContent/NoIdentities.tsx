import { CodeSnippet, EmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import Typography from '@material-ui/core/Typography';

function exampleYaml(usedBy: string): string {
  return `apiVersion: nhi.backstage.io/v1alpha1
kind: MachineIdentity
metadata:
  name: my-service-db-writer
spec:
  type: service-account
  owner: group:my-team
  purpose: Writes orders to the orders database
  usedBy: [${usedBy}]
  environment: production
  provider: aws-iam
  externalId: arn:aws:iam::123456789012:user/my-service-db-writer
  scopes: [rds:orders:write]
  privilege: write
  credential: { rotation: automatic, lastRotatedAt: '2026-11-01' }`;
}

/** Tells an owner how to declare the first machine identity of this entity. */
export function NoIdentities() {
  const { entity } = useEntity();
  const self = stringifyEntityRef(entity);
  return (
    <EmptyState
      missing="content"
      title="No machine identities yet"
      description="Service accounts, API keys, tokens, certificates and other credentials this entity uses appear here once they are declared in the catalog. Add a MachineIdentity entity next to your catalog-info.yaml; it holds a reference to the credential, never the secret itself."
      action={
        <>
          <Typography variant="body1">Example:</Typography>
          <CodeSnippet language="yaml" text={exampleYaml(self)} showCopyCodeButton />
        </>
      }
    />
  );
}
