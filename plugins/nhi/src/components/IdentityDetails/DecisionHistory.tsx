import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { LedgerEntry } from '@nhi-governance/plugin-nhi-common';
import { formatDay, formatTime } from './format';

/** Ledger entries that record a person's (or the sweeper's) decision about the identity. */
export function isDecision(entry: LedgerEntry): boolean {
  return (
    entry.kind === 'review.decided' ||
    entry.kind.startsWith('exception.') ||
    entry.kind === 'identity.approved' ||
    entry.kind === 'identity.sent-back'
  );
}

interface DecisionRow {
  what: string;
  by?: string;
  why?: string;
  note?: string;
}

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() ? value : undefined;

const words = (value: unknown) => (text(value) ?? '').replace(/-/g, ' ');

function describe(entry: LedgerEntry): DecisionRow {
  const p = entry.payload ?? {};
  const until = text(p.expiresAt)
    ? ` until ${formatDay(String(p.expiresAt))}`
    : '';
  switch (entry.kind) {
    case 'review.decided': {
      const version = typeof p.version === 'number' && p.version > 1;
      const notes = [
        version && `version ${p.version}`,
        text(p.batchId) && `bulk decision ${p.batchId}`,
        Array.isArray(p.scopesToRemove) &&
          `remove ${(p.scopesToRemove as string[]).join(', ')}`,
        text(p.reassignTo) && `to ${p.reassignTo}`,
      ].filter(Boolean);
      return {
        what: `Review: ${words(p.decision)}`,
        by: text(p.decidedBy),
        why: text(p.justification),
        note: notes.join(' · ') || undefined,
      };
    }
    case 'exception.requested':
      return {
        what: `Exception requested: ${words(p.finding)}${until}`,
        by: text(p.requestedBy),
        why: text(p.justification),
        note: text(p.compensatingControls)
          ? `compensating controls: ${p.compensatingControls}`
          : undefined,
      };
    case 'exception.approved':
    case 'exception.rejected':
      return {
        what: `Exception ${entry.kind.slice('exception.'.length)}: ${words(
          p.finding,
        )}${until}`,
        by: text(p.decidedBy),
        why: text(p.reason),
        note: text(p.requestedBy) ? `requested by ${p.requestedBy}` : undefined,
      };
    case 'exception.expired':
      return {
        what: `Exception expired: ${words(p.finding)}`,
        note: 'the finding counts again',
      };
    case 'identity.approved':
    case 'identity.sent-back':
      return {
        what:
          entry.kind === 'identity.approved'
            ? 'Approved by security'
            : 'Sent back by security',
        by: text(p.decidedBy),
        why: text(p.reason),
        note: text(p.ticket) ? `ticket ${p.ticket}` : undefined,
      };
    default:
      return { what: entry.kind, by: text(p.decidedBy) };
  }
}

/** A person or group as a link to their catalog page; `system:nhi` and the like as text. */
function Actor(props: { by?: string }) {
  if (!props.by) return <>—</>;
  if (/^(user|group):/i.test(props.by)) {
    return <EntityRefLink entityRef={props.by} />;
  }
  return <>{props.by}</>;
}

/** Review decisions, exceptions and approvals from the identity's ledger, newest first. */
export function DecisionHistory(props: { ledger: LedgerEntry[] }) {
  const decisions = props.ledger
    .filter(isDecision)
    .sort((a, b) => b.seq - a.seq);
  if (decisions.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No review, exception or approval decisions yet.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label="Decision history">
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>Decision</TableCell>
          <TableCell>By</TableCell>
          <TableCell>Justification</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {decisions.map(entry => {
          const row = describe(entry);
          return (
            <TableRow key={entry.seq}>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {formatTime(entry.recordedAt)}
              </TableCell>
              <TableCell>
                {row.what}
                {row.note && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    {row.note}
                  </Typography>
                )}
              </TableCell>
              <TableCell>
                <Actor by={row.by} />
              </TableCell>
              <TableCell>{row.why ?? '—'}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
