import { Content, Header, InfoCard, Page } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { PendingAttestations } from '../Attestations';
import { MyExceptionRequests } from './MyExceptionRequests';

const TITLE = 'My attestations';

/**
 * "My attestations": every pending review item across the viewer's groups, to decide one by
 * one or in bulk, and the exceptions the viewer asked for.
 */
export function AttestationsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Attestations"
        subtitle="Recertify the machine identities your groups own"
      />
      <Content>
        <Grid container spacing={3} direction="column">
          <Grid item>
            <PendingAttestations
              title={TITLE}
              emptyState={
                <InfoCard title={TITLE}>
                  <Typography variant="body2" data-testid="nothing-to-review">
                    Nothing to review: no open campaign is waiting for a
                    decision from you or your groups.
                  </Typography>
                </InfoCard>
              }
            />
          </Grid>
          <Grid item>
            <MyExceptionRequests />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
