import type { TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import type { ExceptionRequest } from '@nhi-governance/plugin-nhi-common';
import { day } from '../day';
import { findingTitle, shortRef } from '../identityFilter';
import { DecisionButtons } from './DecisionButtons';

const cellText = { whiteSpace: 'pre-wrap' as const, minWidth: 200 };

export type ExceptionDecision = { request: ExceptionRequest; approve: boolean };

/** The exception queue's columns; the last one offers Approve and Reject. */
export function exceptionColumns(
  decide: (decision: ExceptionDecision) => void,
): TableColumn<ExceptionRequest>[] {
  return [
    {
      title: 'Identity',
      field: 'identity',
      highlight: true,
      render: r => <EntityRefLink entityRef={r.identity} hideIcon />,
    },
    {
      title: 'Finding',
      field: 'finding',
      render: r => findingTitle(r.finding),
    },
    {
      title: 'Justification',
      field: 'justification',
      cellStyle: cellText,
    },
    {
      title: 'Compensating controls',
      field: 'compensatingControls',
      cellStyle: cellText,
    },
    { title: 'Until', field: 'expiresAt', render: r => day(r.expiresAt) },
    {
      title: 'Requested by',
      field: 'requestedBy',
      render: r => (
        <>
          <EntityRefLink entityRef={r.requestedBy} defaultKind="user" />
          <Typography variant="caption" color="textSecondary" display="block">
            {day(r.requestedAt)}
          </Typography>
        </>
      ),
    },
    {
      title: 'Decision',
      sorting: false,
      render: r => (
        <DecisionButtons
          approve={{
            label: 'Approve',
            ariaLabel: `Approve the exception for ${shortRef(r.identity)}`,
            onClick: () => decide({ request: r, approve: true }),
          }}
          refuse={{
            label: 'Reject',
            ariaLabel: `Reject the exception for ${shortRef(r.identity)}`,
            onClick: () => decide({ request: r, approve: false }),
          }}
        />
      ),
    },
  ];
}
