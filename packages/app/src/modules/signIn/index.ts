import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

const personaSignInPage = SignInPageBlueprint.make({
  params: {
    loader: () => import('./PersonaSignInPage').then(m => m.PersonaSignInPage),
  },
});

/** The example portal's persona sign-in page, in place of the default guest page. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [personaSignInPage],
});
