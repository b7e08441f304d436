import { RequestExceptionButton } from '../Attestations';
import { ReactNode } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { IdentityView } from '@nhi-governance/plugin-nhi-common';
import useAsync from 'react-use/esm/useAsync';
import { nhiApiRef } from '../../api';
import { IdentitiesErrorPanel } from '../EntityIdentitiesContent/IdentitiesErrorPanel';
import { StatusText } from '../shared';
import { DecisionHistory } from './DecisionHistory';
import { EventTimeline } from './EventTimeline';
import { FindingDetails } from './FindingDetails';
import { SourcesSection } from './SourcesSection';

const useStyles = makeStyles(theme => ({
  panel: {
    padding: theme.spacing(2, 3),
    backgroundColor: theme.palette.background.default,
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  heading: { marginBottom: theme.spacing(1) },
}));

function Section(props: { title: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <section aria-label={props.title}>
      <Typography variant="h6" component="h4" className={classes.heading}>
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}

/**
 * What sits behind one identity row: each finding with its explanation, remediation, control
 * mapping and exception; what each discovery source says of it; the event timeline (lifecycle
 * events and daily use); and the decision history (reviews, exceptions, approvals) from the
 * ledger.
 */
export function IdentityDetailsPanel(props: { identity: IdentityView }) {
  const classes = useStyles();
  const nhiApi = useApi(nhiApiRef);
  const { identity } = props;
  const { namespace, name } = parseEntityRef(identity.ref);
  const details = useAsync(
    () => nhiApi.getIdentity(namespace, name),
    [nhiApi, namespace, name],
  );
  const findings = identity.status?.findings ?? [];

  return (
    <Box className={classes.panel}>
      <Grid container spacing={3}>
        <Grid item xs={12} lg={6}>
          <Section title="Findings">
            {!identity.status && (
              <StatusText tone="pending">
                The status engine has not assessed this identity yet.
              </StatusText>
            )}
            {identity.status && findings.length === 0 && (
              <StatusText tone="ok">No open findings.</StatusText>
            )}
            {findings.map(f => (
              <FindingDetails key={f.code} finding={f} />
            ))}
            {/* Owners ask to keep a long-lived credential, skip rotation or keep admin scope. */}
            <RequestExceptionButton identity={identity} />
          </Section>
        </Grid>
        {details.loading && (
          <Grid item xs={12} lg={6}>
            <Progress />
          </Grid>
        )}
        {details.error && (
          <Grid item xs={12} lg={6}>
            <IdentitiesErrorPanel
              error={details.error}
              title="Could not load the identity's history"
            />
          </Grid>
        )}
        {details.value && (
          <>
            <Grid item xs={12} lg={6}>
              <Section title="Decision history">
                <DecisionHistory ledger={details.value.ledger} />
              </Section>
            </Grid>
            <Grid item xs={12}>
              <Section title="Sources">
                {/* A backend older than this page leaves sources out. */}
                <SourcesSection sources={details.value.sources ?? []} />
              </Section>
            </Grid>
            <Grid item xs={12}>
              <Section title="Timeline">
                <EventTimeline
                  events={details.value.events}
                  usage={details.value.usage}
                />
              </Section>
            </Grid>
          </>
        )}
      </Grid>
    </Box>
  );
}
