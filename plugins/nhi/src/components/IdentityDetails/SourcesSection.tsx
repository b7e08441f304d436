import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type {
  IdentitySourceFacts,
  LeakReport,
  SourceDisagreement,
} from '@nhi-governance/plugin-nhi-common';
import { StatusText } from '../shared';
import { useDetailCardStyles } from './detailCard';
import { formatDay, formatTime, plural } from './format';

const useStyles = makeStyles(theme => ({
  disagreement: {
    borderLeft: `4px solid ${theme.palette.warning.main}`,
    paddingLeft: theme.spacing(1),
    margin: theme.spacing(1, 0),
    fontWeight: theme.typography.fontWeightBold as number,
  },
  list: { margin: theme.spacing(0.5, 0), paddingLeft: theme.spacing(2.5) },
}));

const DATE_LABELS = {
  createdAt: 'created',
  lastRotatedAt: 'last rotated',
  expiresAt: 'expires',
  lastUsedAt: 'last used',
} as const;

/** Whether the source lists the identity; usage logs and leak scans say nothing of it. */
function SourceState(props: { facts: IdentitySourceFacts }) {
  const { facts } = props;
  if (facts.discovered) {
    return (
      <StatusText tone="warning">
        Discovered: listed by this source, declared by nobody
      </StatusText>
    );
  }
  if (facts.listed === false) {
    return (
      <StatusText tone="error">
        Not listed: missing at source (its last full read no longer lists it)
      </StatusText>
    );
  }
  if (facts.listed) return <StatusText tone="ok">Listed</StatusText>;
  return null;
}

/** Said in words and set apart: the source's date replaced the declared one in the status. */
function Disagreement(props: { disagreement: SourceDisagreement }) {
  const classes = useStyles();
  const { field, declared, source } = props.disagreement;
  return (
    <Typography
      variant="body2"
      className={classes.disagreement}
      data-testid="source-disagreement"
    >
      Declared {field} {formatDay(declared)}, source says {formatDay(source)};
      the source's date is used.
    </Typography>
  );
}

function SourceDates(props: { facts: IdentitySourceFacts }) {
  const { dates = {}, reportsUsage } = props.facts;
  const parts = Object.entries(DATE_LABELS).flatMap(([field, label]) => {
    const value = dates[field as keyof typeof DATE_LABELS];
    return value ? [`${label} ${formatDay(value)}`] : [];
  });
  // A source that reports use and gives no date says the credential was never used.
  if (reportsUsage && !dates.lastUsedAt) parts.push('never used');
  if (!parts.length) return null;
  return (
    <Typography variant="body2">Source dates: {parts.join(' · ')}</Typography>
  );
}

function leakLocation(leak: LeakReport): string {
  const place = leak.file
    ? `${leak.file}${leak.line !== undefined ? `:${leak.line}` : ''}`
    : 'unknown file';
  return [
    place,
    leak.repository,
    leak.commit && `commit ${leak.commit.slice(0, 12)}`,
    leak.date && `committed ${formatDay(leak.date)}`,
    leak.author && `by ${leak.author}`,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** Where a secret of the identity was found; the scanners' secret fields never reach the portal. */
function Leaks(props: { leaks: LeakReport[] }) {
  const classes = useStyles();
  return (
    <>
      <Typography variant="body2">
        Leaked secret found in {plural(props.leaks.length, 'place')}:
      </Typography>
      <ul className={classes.list}>
        {props.leaks.map((leak, index) => (
          <li key={leak.fingerprint ?? index} data-testid="source-leak">
            <Typography variant="body2" component="span">
              {leakLocation(leak)} ({leak.scanner} {leak.rule},{' '}
              {leak.verified ? 'verified working' : 'not verified'})
            </Typography>
          </li>
        ))}
      </ul>
    </>
  );
}

/** What one source says of the identity, as of its last good read. */
function SourceFacts(props: { facts: IdentitySourceFacts }) {
  const card = useDetailCardStyles();
  const { facts } = props;
  return (
    <Box className={card.card} data-source={facts.sourceId}>
      <Box className={card.header}>
        <Typography variant="subtitle2" component="h5">
          {facts.sourceId}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {facts.format} · read {formatTime(facts.readAt)}
        </Typography>
      </Box>
      <SourceState facts={facts} />
      {facts.disagreements?.map(d => (
        <Disagreement key={d.field} disagreement={d} />
      ))}
      {!!facts.credentials?.length && (
        <Typography variant="body2">
          Credentials:{' '}
          {facts.credentials
            .map(
              c =>
                `${c.externalId} (${c.kind}, ${
                  c.active ? 'active' : 'inactive'
                })`,
            )
            .join('; ')}
        </Typography>
      )}
      <SourceDates facts={facts} />
      {facts.ownerHint && (
        <Typography variant="body2">
          Owner named by the source: {facts.ownerHint}
        </Typography>
      )}
      {facts.findings?.map(f => (
        <StatusText
          key={f.code}
          tone={f.severity === 'low' ? 'warning' : 'error'}
        >
          {f.severity}: {f.detail}
        </StatusText>
      ))}
      {facts.usage && (
        <Typography variant="body2">
          Usage log: {plural(facts.usage.uses, 'use')},{' '}
          {plural(facts.usage.authFailures, 'failed authentication')}, last{' '}
          {formatTime(facts.usage.lastAt)}
        </Typography>
      )}
      {!!facts.leaks?.length && <Leaks leaks={facts.leaks} />}
    </Box>
  );
}

/**
 * What each discovery source says of the identity: whether it lists it, its credentials and
 * dates, usage and leaks, and where the declaration says otherwise (the source's date wins).
 */
export function SourcesSection(props: { sources: IdentitySourceFacts[] }) {
  if (!props.sources.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        No discovery source lists this identity.
      </Typography>
    );
  }
  return (
    <>
      {props.sources.map(facts => (
        <SourceFacts key={facts.sourceId} facts={facts} />
      ))}
    </>
  );
}
