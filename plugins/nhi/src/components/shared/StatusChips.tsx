import type { ReactNode } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type {
  Finding,
  IdentityStatus,
  ReviewStatus,
  Severity,
  UsageStatus,
} from '@nhi-governance/plugin-nhi-common';

type Tone = 'ok' | 'warning' | 'error' | 'pending' | 'aborted';

/** Backstage's status glyphs, which follow the theme (including dark mode). */
export function StatusText(props: { tone: Tone; children: ReactNode }) {
  const Glyph = {
    ok: StatusOK,
    warning: StatusWarning,
    error: StatusError,
    pending: StatusPending,
    aborted: StatusAborted,
  }[props.tone];
  return <Glyph>{props.children}</Glyph>;
}

const ROTATION_TONE: Record<IdentityStatus['rotation']['status'], Tone> = {
  ok: 'ok',
  'due-soon': 'warning',
  overdue: 'error',
  expired: 'error',
  'no-rotation-data': 'pending',
  exempt: 'aborted',
};

/** "rotated 214 days ago, policy 90", coloured by rotation status, with the expiry below. */
export function RotationStatus(props: {
  rotation: IdentityStatus['rotation'];
}) {
  const { status, ageDays, periodDays, expiresAt, revokedAt } = props.rotation;
  const age =
    ageDays !== undefined
      ? `rotated ${ageDays} day${ageDays === 1 ? '' : 's'} ago${
          periodDays !== undefined ? `, policy ${periodDays}` : ''
        }`
      : status.replace(/-/g, ' ');
  return (
    <>
      <StatusText tone={ROTATION_TONE[status]}>
        {status === 'ok' || status === 'due-soon' || status === 'overdue'
          ? age
          : status.replace(/-/g, ' ')}
      </StatusText>
      {(expiresAt || revokedAt) && (
        <Typography variant="caption" color="textSecondary" display="block">
          {revokedAt
            ? `revoked ${revokedAt.slice(0, 10)}`
            : `expires ${expiresAt!.slice(0, 10)}`}
        </Typography>
      )}
    </>
  );
}

const USAGE_TONE: Record<UsageStatus, Tone> = {
  active: 'ok',
  dormant: 'warning',
  'never-used': 'warning',
  'no-usage-data': 'pending',
};

/** When the identity was last used, coloured by usage status. */
export function UsageStatusText(props: { usage: IdentityStatus['usage'] }) {
  const { status, lastUsedAt, daysSinceUse } = props.usage;
  return (
    <StatusText tone={USAGE_TONE[status]}>
      {lastUsedAt
        ? `${lastUsedAt.slice(0, 10)}${
            daysSinceUse !== undefined ? ` (${daysSinceUse} d)` : ''
          }`
        : status.replace(/-/g, ' ')}
    </StatusText>
  );
}

const REVIEW_TONE: Record<ReviewStatus, Tone> = {
  current: 'ok',
  due: 'warning',
  overdue: 'error',
  'never-reviewed': 'pending',
};

export function ReviewStatusText(props: { review: ReviewStatus }) {
  return (
    <StatusText tone={REVIEW_TONE[props.review]}>
      {props.review.replace(/-/g, ' ')}
    </StatusText>
  );
}

const SEVERITY_COLOR: Record<Severity, 'default' | 'primary' | 'secondary'> = {
  low: 'default',
  medium: 'default',
  high: 'secondary',
  critical: 'secondary',
};

/** One chip per finding: its title, severity in the tooltip; excepted ones are outlined. */
export function FindingChips(props: { findings: Finding[] }) {
  if (props.findings.length === 0) {
    return <StatusText tone="ok">none</StatusText>;
  }
  return (
    <>
      {props.findings.map(f => (
        <Tooltip
          key={f.code}
          title={
            f.exception
              ? `${f.severity}: excepted until ${f.exception.expiresAt.slice(
                  0,
                  10,
                )}`
              : `${f.severity}: ${f.explanation}`
          }
        >
          <Chip
            size="small"
            label={f.title}
            color={f.exception ? 'default' : SEVERITY_COLOR[f.severity]}
            variant={f.exception ? 'outlined' : 'default'}
            data-finding={f.code}
            style={{ margin: 2 }}
          />
        </Tooltip>
      ))}
    </>
  );
}
