import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import { MarkdownContent } from '@backstage/core-components';

const content = `
## Machine identities in the developer portal

Every service account, API key, token, OAuth client, certificate, SSH or deploy key,
CI runner, workload identity and AI agent is a \`MachineIdentity\` in the catalog,
attached to the team that owns it and to the components that use it.

- **Developers:** open your service in the [Catalog](/catalog) and pick the
  **Identities** tab to see every credential it uses.
- **Owners:** your team's page lists every identity your team owns, and
  [My attestations](/machine-identities/attestations) what your teams must recertify this
  quarter.
- **Security:** [Machine identities](/machine-identities/security) has the org-wide figures,
  campaigns and approval queues. Identities that failed validation (for example one that
  carried a secret) are listed under [Unprocessed Entities](/catalog-unprocessed-entities).

This example portal signs you in as a persona: the owner **Dana Reyes** of the **payments**
team ([payments-api](/catalog/default/component/payments-api/identities) is a good place to
start), **Sam Okafor** of security, or **Marcus Bennett** of platform. Sign out (Settings) to
switch.
`;

const gettingStartedWidget = HomePageWidgetBlueprint.make({
  name: 'getting-started',
  params: {
    name: 'GettingStarted',
    title: 'Getting Started',
    description: 'Where to find machine identities in this portal',
    components: async () => ({
      Content: () => <MarkdownContent content={content} />,
    }),
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [gettingStartedWidget],
});
