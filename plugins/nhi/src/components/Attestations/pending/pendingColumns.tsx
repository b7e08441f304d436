import type { TableColumn } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import {
  ActionsCell,
  DueCell,
  IdentityCell,
  SnapshotCell,
  StandingCell,
} from './pendingCells';
import type { OpenDialog, Row } from './pendingRows';

/** The table's columns; the last one opens a dialog through `open`. */
export function pendingColumns(
  open: (dialog: OpenDialog) => void,
): TableColumn<Row>[] {
  return [
    {
      title: 'Identity',
      field: 'identity',
      highlight: true,
      cellStyle: { minWidth: 180 },
      render: item => <IdentityCell item={item} />,
    },
    {
      title: 'Due',
      field: 'dueAt',
      defaultSort: 'asc',
      cellStyle: { whiteSpace: 'nowrap' },
      render: item => (
        <>
          <DueCell item={item} />
          <Typography variant="caption" color="textSecondary" display="block">
            {item.period}
          </Typography>
        </>
      ),
    },
    {
      title: 'State',
      field: 'state',
      cellStyle: { minWidth: 120 },
      render: item => <StandingCell item={item} />,
    },
    {
      title: 'Snapshot',
      field: 'snapshot.owner',
      sorting: false,
      cellStyle: { minWidth: 220 },
      render: item => <SnapshotCell item={item} />,
    },
    {
      title: 'Actions',
      sorting: false,
      render: row => <ActionsCell row={row} open={open} />,
    },
  ];
}
