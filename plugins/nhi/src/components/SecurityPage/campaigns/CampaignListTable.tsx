import { Table, type TableColumn } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import { type Theme, useTheme } from '@material-ui/core/styles';
import type { Campaign } from '@nhi-governance/plugin-nhi-common';
import { pagedTable } from '../compactTable';
import { day } from '../day';
import { CampaignProgressBar, CampaignStatusText } from './CampaignStatus';

function columns(
  selectedId: string | undefined,
  select: (id: string) => void,
): TableColumn<Campaign>[] {
  return [
    {
      title: 'Period',
      field: 'period',
      highlight: true,
      render: c => (
        <Button
          size="small"
          color="primary"
          onClick={() => select(c.id)}
          aria-pressed={c.id === selectedId}
          aria-label={`Show campaign ${c.period}`}
        >
          {c.period}
        </Button>
      ),
    },
    {
      title: 'Status',
      field: 'status',
      render: c => <CampaignStatusText status={c.status} />,
    },
    { title: 'Due', field: 'dueAt', render: c => day(c.dueAt) },
    {
      title: 'Progress',
      field: 'progress.decided',
      sorting: false,
      render: c => <CampaignProgressBar campaign={c} />,
    },
    {
      title: 'Escalated',
      field: 'progress.escalated',
      type: 'numeric',
    },
    {
      title: 'Started',
      field: 'createdAt',
      render: c => `${day(c.createdAt)} (${c.origin})`,
    },
  ];
}

/** The campaigns, the selected one highlighted; a click on a row selects it. */
export function CampaignListTable(props: {
  items: Campaign[];
  selectedId?: string;
  onSelect: (id: string) => void;
}) {
  const { items, selectedId, onSelect } = props;
  const theme = useTheme<Theme>();
  return (
    <Table<Campaign>
      title="Campaigns"
      columns={columns(selectedId, onSelect)}
      data={items}
      onRowClick={(_, c) => c && onSelect(c.id)}
      options={{
        ...pagedTable(items.length, false),
        rowStyle: (c: Campaign) =>
          c.id === selectedId
            ? { backgroundColor: theme.palette.action.selected }
            : {},
      }}
    />
  );
}
