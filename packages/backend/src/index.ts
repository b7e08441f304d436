import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { withoutSecretsInRequestLog } from '@nhi-governance/plugin-nhi-node';

const backend = createBackend();

// The request log keeps every line but no credential from a query string (?token=, ?code=…).
backend.add(
  rootHttpRouterServiceFactory({ configure: withoutSecretsInRequestLog }),
);

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the guest provider resolves to a member of an owning team (see app-config.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Demo personas (owner, security, another team), signed in like guest: see app-config.yaml.
backend.add(import('./modules/personaAuth'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Exposes entities that failed processing (e.g. a malformed MachineIdentity) at /api/catalog/unprocessed.
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));

// Machine identities: the MachineIdentity kind and its relations, plus the governance backend.
backend.add(import('@nhi-governance/plugin-catalog-backend-module-nhi'));
backend.add(import('@nhi-governance/plugin-nhi-backend'));
// An example module: one more discovery format and one more finding rule (see its README).
backend.add(import('@nhi-governance/plugin-nhi-backend-module-example'));
// Provider connectors: each reads only the sources that name it under nhi.discovery.sources.
backend.add(import('@nhi-governance/plugin-nhi-backend-module-aws'));
backend.add(import('@nhi-governance/plugin-nhi-backend-module-github'));
backend.add(import('@nhi-governance/plugin-nhi-backend-module-kubernetes'));

// The events bus: with PostgreSQL it carries events between replicas, and `events.http.topics`
// opens an HTTP ingress per topic (unauthenticated: see README before listing nhi.events there).
backend.add(import('@backstage/plugin-events-backend'));

backend.add(import('@backstage/plugin-permission-backend'));
// Everyone may read the catalog; only security sees entities that failed processing.
backend.add(import('./modules/permissionPolicy'));

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();
