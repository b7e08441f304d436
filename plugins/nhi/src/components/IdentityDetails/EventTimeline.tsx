import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  EventType,
  IdentityEventRecord,
  IdentityUsageDay,
} from '@nhi-governance/plugin-nhi-common';
import { StatusText } from '../shared';
import { formatTime, plural } from './format';

type Tone = 'ok' | 'warning' | 'error' | 'pending' | 'aborted';

const EVENT_LABEL: Record<EventType, { label: string; tone: Tone }> = {
  issued: { label: 'Issued', tone: 'ok' },
  rotated: { label: 'Rotated', tone: 'ok' },
  revoked: { label: 'Revoked', tone: 'aborted' },
  expired: { label: 'Expired', tone: 'error' },
  used: { label: 'Used', tone: 'ok' },
  'auth-failed': { label: 'Authentication failed', tone: 'warning' },
  'interactive-login': { label: 'Interactive login', tone: 'error' },
};

interface TimelineEntry {
  key: string;
  /** For ordering, newest first. */
  sortKey: string;
  when: string;
  label: string;
  tone: Tone;
  details: string;
}

const str = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : undefined;

function eventDetails(event: IdentityEventRecord): string {
  const a = event.attributes ?? {};
  const count = str(a.count);
  const parts = [
    str(a.actor) && `by ${str(a.actor)}`,
    count && count !== '1' && `${count} times`,
    str(a.sourceIp) && `from ${str(a.sourceIp)}`,
    str(a.region) && `in ${str(a.region)}`,
    str(a.userAgent) && `(${str(a.userAgent)})`,
  ];
  return parts.filter(Boolean).join(' ');
}

/** Lifecycle events and daily use, newest first. */
export function timelineEntries(
  events: IdentityEventRecord[],
  usage: IdentityUsageDay[],
): TimelineEntry[] {
  const fromEvents = events.map(
    (e): TimelineEntry => ({
      key: `event:${e.id}`,
      sortKey: e.occurredAt,
      when: formatTime(e.occurredAt),
      ...(EVENT_LABEL[e.type] ?? { label: e.type, tone: 'pending' }),
      details: eventDetails(e),
    }),
  );
  const fromUsage = usage.map(
    (d): TimelineEntry => ({
      key: `usage:${d.day}`,
      sortKey: d.lastUsedAt ?? `${d.day}T23:59:59.999Z`,
      when: d.day,
      label: [
        d.uses > 0 && `Used ${plural(d.uses, 'time')}`,
        d.authFailures > 0 && plural(d.authFailures, 'failed authentication'),
      ]
        .filter(Boolean)
        .join(', '),
      tone: d.authFailures > 0 ? 'warning' : 'ok',
      details: d.sources.length ? `from ${d.sources.join(', ')}` : '',
    }),
  );
  return [...fromEvents, ...fromUsage]
    .filter(e => e.label)
    .sort((x, y) => y.sortKey.localeCompare(x.sortKey));
}

const SHOWN_AT_FIRST = 15;

/** The identity's event timeline: issued, rotated, revoked, expired, logins, daily use. */
export function EventTimeline(props: {
  events: IdentityEventRecord[];
  usage: IdentityUsageDay[];
}) {
  const [showAll, setShowAll] = useState(false);
  const entries = timelineEntries(props.events, props.usage);
  if (entries.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No events or usage reported in the last 90 days.
      </Typography>
    );
  }
  const shown = showAll ? entries : entries.slice(0, SHOWN_AT_FIRST);
  return (
    <>
      <Table size="small" aria-label="Event timeline">
        <TableHead>
          <TableRow>
            <TableCell>When</TableCell>
            <TableCell>Event</TableCell>
            <TableCell>Details</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shown.map(entry => (
            <TableRow key={entry.key}>
              <TableCell style={{ whiteSpace: 'nowrap' }}>
                {entry.when}
              </TableCell>
              <TableCell>
                <StatusText tone={entry.tone}>{entry.label}</StatusText>
              </TableCell>
              <TableCell>{entry.details}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {entries.length > shown.length && (
        <Button size="small" onClick={() => setShowAll(true)}>
          Show all {entries.length}
        </Button>
      )}
    </>
  );
}
