import { memo } from 'react';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { ReviewItem } from '@nhi-governance/plugin-nhi-common';
import { DASH, day } from '../helpers';
import { RefLink, ScopeList, SnapshotFindings } from '../SnapshotDetails';

/** The identities of a bulk decision, one row each with what is being certified. */
export const BulkList = memo(function BulkListView(props: {
  items: ReviewItem[];
}) {
  return (
    <Table size="small" aria-label="Identities in this decision">
      <TableHead>
        <TableRow>
          <TableCell>Identity</TableCell>
          <TableCell>Owner</TableCell>
          <TableCell>Privilege</TableCell>
          <TableCell>Scopes</TableCell>
          <TableCell>Open findings</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.items.map(item => (
          <TableRow key={item.id} data-testid={`bulk-item-${item.id}`}>
            <TableCell>
              <RefLink entityRef={item.identity} />
              <Typography variant="caption" display="block">
                {item.period}, due {day(item.dueAt)}
              </Typography>
            </TableCell>
            <TableCell>
              <RefLink entityRef={item.snapshot.owner} defaultKind="group" />
            </TableCell>
            <TableCell>{item.snapshot.privilege ?? DASH}</TableCell>
            <TableCell>
              <ScopeList scopes={item.snapshot.scopes} />
            </TableCell>
            <TableCell>
              <SnapshotFindings findings={item.snapshot.findings} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
});
