import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import type { IdentityApi } from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

/** The personas of the example organisation (auth.providers.persona-* in app-config.yaml). */
export const PERSONAS = [
  {
    id: 'owner',
    title: 'Service owner',
    who: 'Dana Reyes, payments team',
    does: 'Sees her team’s machine identities, recertifies them and asks for exceptions.',
  },
  {
    id: 'security',
    title: 'Security',
    who: 'Sam Okafor, security team',
    does: 'Sees the whole organisation, runs campaigns, approves exceptions and new identities.',
  },
  {
    id: 'platform',
    title: 'Another team',
    who: 'Marcus Bennett, platform team',
    does: 'Owns other identities: may not decide on the payments team’s.',
  },
] as const;

const STORAGE_KEY = 'nhi-example-persona';

/** Signing out also forgets the persona, so the next visit offers the choice again. */
function forgettingPersona(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      window.localStorage.removeItem(STORAGE_KEY);
      await identity.signOut();
    },
  };
}

/**
 * The example portal's sign-in: pick a persona, each a guest-style provider that resolves to a
 * catalog user of the matching team. The choice is kept across reloads until sign-out. For
 * trying the portal only; a real organisation signs in with its identity provider.
 */
export function PersonaSignInPage(props: SignInPageProps) {
  const [persona, setPersona] = useState(() =>
    window.localStorage.getItem(STORAGE_KEY),
  );
  if (persona) {
    return (
      <ProxiedSignInPage
        provider={`persona-${persona}`}
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgettingPersona(identity))
        }
      />
    );
  }
  return (
    <Page themeId="home">
      <Header
        title="Machine identities for Backstage"
        subtitle="An example portal: sign in as one of these people"
      />
      <Content>
        <Grid container spacing={3}>
          {PERSONAS.map(p => (
            <Grid item xs={12} md={4} key={p.id}>
              <InfoCard title={p.title} subheader={p.who}>
                <Typography variant="body2" paragraph>
                  {p.does}
                </Typography>
                <Button
                  variant="contained"
                  color="primary"
                  aria-label={`Sign in as ${p.title}`}
                  onClick={() => {
                    window.localStorage.setItem(STORAGE_KEY, p.id);
                    setPersona(p.id);
                  }}
                >
                  Sign in
                </Button>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
