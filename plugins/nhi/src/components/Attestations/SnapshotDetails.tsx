import { ReactNode, memo } from 'react';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  ReviewItem,
  ReviewSnapshot,
} from '@nhi-governance/plugin-nhi-common';
import { RotationStatus, StatusText, UsageStatusText } from '../shared';
import { IdentityTypeIcon } from '../IdentityTypeIcon';
import { DASH, day } from './helpers';

const SEVERITY_TONE = {
  low: 'pending',
  medium: 'warning',
  high: 'error',
  critical: 'error',
} as const;

/** A ref as a catalog link, or a dash. */
export function RefLink(props: { entityRef?: string; defaultKind?: string }) {
  if (!props.entityRef) return <>{DASH}</>;
  return (
    <EntityRefLink
      entityRef={props.entityRef}
      defaultKind={props.defaultKind}
      hideIcon
    />
  );
}

/** The snapshot's open findings, each with its severity spelled out. */
export function SnapshotFindings(props: {
  findings: ReviewSnapshot['findings'];
}) {
  if (props.findings.length === 0) {
    return <StatusText tone="ok">none</StatusText>;
  }
  return (
    <>
      {props.findings.map(f => (
        <div key={f.code} data-finding={f.code}>
          <StatusText tone={SEVERITY_TONE[f.severity]}>
            {f.title} ({f.severity})
          </StatusText>
        </div>
      ))}
    </>
  );
}

export function ScopeList(props: { scopes: string[] }) {
  if (props.scopes.length === 0) return <>{DASH}</>;
  return (
    <>
      {props.scopes.map(s => (
        <Chip
          key={s}
          size="small"
          variant="outlined"
          label={s}
          style={{ margin: 2 }}
        />
      ))}
    </>
  );
}

function IdentityLine(props: { snapshot: ReviewSnapshot }) {
  const { snapshot } = props;
  return (
    <>
      <RefLink entityRef={snapshot.identity} />{' '}
      <Typography variant="caption" color="textSecondary" component="span">
        <IdentityTypeIcon type={snapshot.type} />
      </Typography>
    </>
  );
}

function UsedByList(props: { refs: string[] }) {
  if (!props.refs.length) return <>{DASH}</>;
  return (
    <>
      {props.refs.map((ref, i) => (
        <span key={ref}>
          {i > 0 && ', '}
          <RefLink entityRef={ref} defaultKind="component" />
        </span>
      ))}
    </>
  );
}

function SnapshotRotation(props: { rotation: ReviewSnapshot['rotation'] }) {
  const { rotation } = props;
  if (!rotation.status) return <>{DASH}</>;
  return (
    <>
      <RotationStatus
        rotation={{ status: rotation.status, expiresAt: rotation.expiresAt }}
      />
      {rotation.lastRotatedAt && (
        <Typography variant="caption" color="textSecondary" display="block">
          last rotated {day(rotation.lastRotatedAt)}
        </Typography>
      )}
    </>
  );
}

/** Who approved the identity and when, with the ticket when there is one. */
function approvalText(approval: ReviewSnapshot['approval']): string {
  if (!approval) return DASH;
  const ticket = approval.ticket ? ` (${approval.ticket})` : '';
  return `${approval.approvedBy}, ${day(approval.approvedAt)}${ticket}`;
}

/**
 * What a reviewer certifies for one identity: the facts frozen when the campaign opened
 * (owner, purpose, scopes, who uses it, rotation, usage and open findings).
 */
export const SnapshotDetails = memo(function SnapshotDetailsView(props: {
  item: ReviewItem;
}) {
  const { snapshot } = props.item;
  const rows: Array<[string, ReactNode]> = [
    ['Identity', <IdentityLine snapshot={snapshot} />],
    ['Owner', <RefLink entityRef={snapshot.owner} defaultKind="group" />],
    [
      'Backup owner',
      <RefLink entityRef={snapshot.backupOwner} defaultKind="group" />,
    ],
    ['Purpose', snapshot.purpose ?? DASH],
    ['Scopes', <ScopeList scopes={snapshot.scopes} />],
    ['Privilege', snapshot.privilege ?? DASH],
    ['Used by', <UsedByList refs={snapshot.usedBy} />],
    [
      'Environment',
      [snapshot.environment, snapshot.system].filter(Boolean).join(', ') ||
        DASH,
    ],
    ['Rotation', <SnapshotRotation rotation={snapshot.rotation} />],
    [
      'Usage',
      snapshot.usage.status ? (
        <UsageStatusText
          usage={{
            status: snapshot.usage.status,
            lastUsedAt: snapshot.usage.lastUsedAt,
          }}
        />
      ) : (
        DASH
      ),
    ],
    ['Approval', approvalText(snapshot.approval)],
    ['Open findings', <SnapshotFindings findings={snapshot.findings} />],
  ];
  return (
    <Table size="small" aria-label={`Snapshot of ${snapshot.identity}`}>
      <TableBody>
        {rows.map(([label, value]) => (
          <TableRow key={label}>
            <TableCell
              component="th"
              scope="row"
              style={{ width: 140, verticalAlign: 'top' }}
            >
              {label}
            </TableCell>
            <TableCell>{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
});
