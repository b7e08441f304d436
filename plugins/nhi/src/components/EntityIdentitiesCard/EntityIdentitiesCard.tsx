import { ReactNode } from 'react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import useAsync from 'react-use/esm/useAsync';
import { nhiApiRef } from '../../api';
import { IdentitiesErrorPanel } from '../EntityIdentitiesContent/IdentitiesErrorPanel';
import { StatusText } from '../shared';
import { IdentityCounts, countIdentities } from './countIdentities';

/** The most the card reads in one request (the backend's maximum page). */
export const CARD_LIMIT = 500;

const useStyles = makeStyles(theme => ({
  list: { margin: 0, padding: 0, listStyle: 'none' },
  row: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    padding: theme.spacing(0.5, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
    '&:last-child': { borderBottom: 'none' },
  },
  count: { fontWeight: theme.typography.fontWeightBold as number },
  footer: { marginTop: theme.spacing(2) },
}));

type Tone = 'ok' | 'warning' | 'error';

function Row(props: {
  label: string;
  count: number;
  /** Tone when the count is not zero; zero is ok. */
  tone?: Tone;
  /** For "compliant": the tone comes from the caller. */
  fixedTone?: Tone;
}) {
  const classes = useStyles();
  const tone = props.fixedTone ?? (props.count > 0 ? props.tone : 'ok');
  return (
    <li className={classes.row} aria-label={`${props.label}: ${props.count}`}>
      {tone ? (
        <StatusText tone={tone}>{props.label}</StatusText>
      ) : (
        <Typography variant="body2">{props.label}</Typography>
      )}
      <Typography variant="body2" className={classes.count}>
        {props.count}
      </Typography>
    </li>
  );
}

function Counts(props: { counts: IdentityCounts }) {
  const classes = useStyles();
  const c = props.counts;
  return (
    <>
      <ul className={classes.list}>
        <Row label="Total" count={c.total} />
        <Row
          label="Compliant"
          count={c.compliant}
          fixedTone={c.compliant === c.counted ? 'ok' : 'warning'}
        />
        <Row
          label="Rotation overdue or expired"
          count={c.rotationOverdue}
          tone="error"
        />
        <Row label="Dormant or never used" count={c.dormant} tone="warning" />
        <Row label="Review overdue" count={c.reviewOverdue} tone="error" />
        <Row
          label="Open high or critical findings"
          count={c.highFindings}
          tone="error"
        />
      </ul>
      {c.counted < c.total && (
        <Typography variant="caption" color="textSecondary">
          Statuses cover the first {c.counted} of {c.total} identities.
        </Typography>
      )}
    </>
  );
}

/**
 * "Machine identities" card for a component, system or group overview page: the entity's
 * identities counted by status, with a link to its Identities tab.
 */
export function EntityIdentitiesCard(props: {
  variant?: 'flex' | 'fullHeight' | 'gridItem';
}) {
  const classes = useStyles();
  const { entity } = useEntity();
  const nhiApi = useApi(nhiApiRef);
  const ref = getCompoundEntityRef(entity);
  const { value, loading, error } = useAsync(
    () => nhiApi.listEntityIdentities(ref, { limit: CARD_LIMIT }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [nhiApi, ref.kind, ref.namespace, ref.name],
  );

  let content: ReactNode;
  if (loading) {
    content = <Progress />;
  } else if (error) {
    content = <IdentitiesErrorPanel error={error} />;
  } else if (!value || value.totalItems === 0) {
    content = (
      <Typography variant="body2" color="textSecondary">
        No machine identities are declared for this{' '}
        {entity.kind.toLocaleLowerCase('en-US')} yet.
      </Typography>
    );
  } else {
    content = (
      <Counts counts={countIdentities(value.items, value.totalItems)} />
    );
  }

  return (
    <InfoCard title="Machine identities" variant={props.variant}>
      {content}
      <Box className={classes.footer}>
        <Link to="identities">
          {value && value.totalItems === 0
            ? 'How to declare one'
            : 'View identities'}
        </Link>
      </Box>
    </InfoCard>
  );
}
