import Box from '@material-ui/core/Box';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  Finding,
  NIST_CSF_CONTROLS,
  OWASP_NHI_CONTROLS,
  SOC2_CONTROLS,
  Severity,
} from '@nhi-governance/plugin-nhi-common';
import { StatusText } from '../shared';
import { useDetailCardStyles } from './detailCard';
import { formatDay } from './format';

const SEVERITY_TONE: Record<Severity, 'error' | 'warning' | 'pending'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'pending',
};

const useStyles = makeStyles(theme => ({
  label: { fontWeight: theme.typography.fontWeightBold as number },
  controls: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(0.25),
    marginTop: theme.spacing(1),
  },
  code: {
    borderBottom: `1px dotted ${theme.palette.text.secondary}`,
    cursor: 'help',
  },
}));

/** Control ids, each with the framework's wording on hover. */
function ControlList(props: {
  ids: string[];
  describe: Record<string, string>;
  withName?: boolean;
}) {
  const classes = useStyles();
  if (props.ids.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        —
      </Typography>
    );
  }
  return (
    <Typography variant="body2" component="span">
      {props.ids.map((id, index) => (
        <span key={id}>
          {index > 0 && ', '}
          <Tooltip title={props.describe[id] ?? id}>
            <span className={classes.code}>
              {props.withName && props.describe[id]
                ? `${id} ${props.describe[id]}`
                : id}
            </span>
          </Tooltip>
        </span>
      ))}
    </Typography>
  );
}

function evidenceText(value: string | number | string[]): string {
  return Array.isArray(value) ? value.join(', ') : String(value);
}

/** One finding: why it matters, the fix, the proof, its controls and any exception. */
export function FindingDetails(props: { finding: Finding }) {
  const classes = useStyles();
  const card = useDetailCardStyles();
  const { finding } = props;
  const evidence = Object.entries(finding.evidence ?? {});
  return (
    <Box className={card.card} data-finding={finding.code}>
      <Box className={card.header}>
        <Typography variant="subtitle2" component="h5">
          {finding.title}
        </Typography>
        <StatusText tone={SEVERITY_TONE[finding.severity]}>
          {finding.severity}
        </StatusText>
        {finding.openedAt && (
          <Typography variant="caption" color="textSecondary">
            open since {formatDay(finding.openedAt)}
          </Typography>
        )}
      </Box>
      {finding.exception && (
        <StatusText tone="aborted">
          Excepted until {formatDay(finding.exception.expiresAt)} (approved by{' '}
          {finding.exception.approvedBy})
        </StatusText>
      )}
      <Typography variant="body2" paragraph={false}>
        {finding.explanation}
      </Typography>
      <Typography variant="body2">
        <span className={classes.label}>Remediation: </span>
        {finding.remediation}
      </Typography>
      {evidence.length > 0 && (
        <Typography variant="caption" color="textSecondary" display="block">
          Evidence:{' '}
          {evidence.map(([k, v]) => `${k} ${evidenceText(v)}`).join('; ')}
        </Typography>
      )}
      <Box className={classes.controls}>
        <Typography variant="body2" className={classes.label}>
          SOC 2
        </Typography>
        <ControlList ids={finding.controls.soc2} describe={SOC2_CONTROLS} />
        <Typography variant="body2" className={classes.label}>
          NIST CSF
        </Typography>
        <ControlList
          ids={finding.controls.nistCsf}
          describe={NIST_CSF_CONTROLS}
        />
        <Typography variant="body2" className={classes.label}>
          OWASP NHI
        </Typography>
        <ControlList
          ids={finding.controls.owaspNhi}
          describe={OWASP_NHI_CONTROLS}
          withName
        />
      </Box>
    </Box>
  );
}
