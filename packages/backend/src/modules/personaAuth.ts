/*
 * Persona sign-in, for the example (demo) portal only: like the guest provider, each persona
 * signs a visitor in as one fixed catalog user without credentials, so that a demo can switch
 * between an owner, security and another team. Never configure it for a real organisation.
 *
 * Every key under `auth.providers` that starts with `persona-` is one persona (see
 * app-config.yaml):
 *
 *   auth:
 *     providers:
 *       persona-owner:
 *         userEntityRef: user:default/dana.reyes
 *
 * A token is one plain call away: `GET /api/auth/persona-owner/refresh` (with the header
 * `X-Requested-With: XMLHttpRequest`) answers `backstageIdentity.token`. The user is signed in
 * through the catalog, so the token's ownership claims include the user's groups; a user who is
 * not in the catalog is refused rather than signed in with made-up claims.
 *
 * As with guest, personas only exist when NODE_ENV is `development` (`yarn start`), unless a
 * persona sets `dangerouslyAllowOutsideDevelopment: true`; otherwise it is not registered and
 * its sign-in route answers 404.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  SignInResolver,
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

/** The prefix of the `auth.providers` keys that are personas. */
export const PERSONA_PROVIDER_PREFIX = 'persona-';

interface PersonaResult {
  userEntityRef: string;
}

/** No credentials: the persona's configured user is the result. */
const personaAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  // Read at start-up, so that a persona without a user fails then and not at sign-in.
  initialize: ({ config }) => ({
    userEntityRef: config.getString('userEntityRef'),
  }),
  authenticate: async (_, ctx): Promise<{ result: PersonaResult }> => ({
    result: { userEntityRef: ctx.userEntityRef },
  }),
});

/** Signs in as the persona's catalog user, with the user's groups as ownership claims. */
const signInAsPersona: SignInResolver<PersonaResult> = async (
  { result },
  ctx,
) => ctx.signInWithCatalogUser({ entityRef: result.userEntityRef });

/** Registers a sign-in provider for each `auth.providers.persona-*` key. */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'persona-providers',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const providersConfig = config.getOptionalConfig('auth.providers');
        const personas = (providersConfig?.keys() ?? []).filter(id =>
          id.startsWith(PERSONA_PROVIDER_PREFIX),
        );
        for (const providerId of personas) {
          const allowed =
            process.env.NODE_ENV === 'development' ||
            providersConfig!.getOptionalBoolean(
              `${providerId}.dangerouslyAllowOutsideDevelopment`,
            ) === true;
          if (!allowed) {
            logger.warn(
              `Persona sign-in ${providerId} is for the example portal in development only and is not enabled here; set auth.providers.${providerId}.dangerouslyAllowOutsideDevelopment to enable it`,
            );
            continue;
          }
          providers.registerProvider({
            providerId,
            factory: createProxyAuthProviderFactory({
              authenticator: personaAuthenticator,
              signInResolver: signInAsPersona,
            }),
          });
        }
      },
    });
  },
});
