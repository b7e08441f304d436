import { usePermission } from '@backstage/plugin-permission-react';
import { useState } from 'react';
import Button from '@material-ui/core/Button';
import {
  type EvidencePeriod,
  nhiEvidenceExportPermission,
} from '@nhi-governance/plugin-nhi-common';
import type { EvidenceScope } from '../../../api';
import { DialogForm } from '../DialogForm';
import { CampaignSelect } from './CampaignSelect';
import { DownloadStatus } from './DownloadStatus';
import { lastCompleteQuarter, periodErrors } from './evidenceForm';
import { PeriodFields, type ScopeKind, ScopeKindChoice } from './ScopeFields';
import { useEvidenceDownload } from './useEvidenceDownload';

export interface ExportEvidenceDialogProps {
  onClose: () => void;
  /** Called when a package has been downloaded (a new export is in the ledger). */
  onExported?: () => void;
}

/** Cancel while a download runs; Close and Export otherwise. */
function ExportActions(props: {
  running: boolean;
  ready: boolean;
  onCancel: () => void;
  onClose: () => void;
}) {
  if (props.running) return <Button onClick={props.onCancel}>Cancel</Button>;
  return (
    <>
      <Button onClick={props.onClose}>Close</Button>
      <Button
        type="submit"
        color="primary"
        variant="contained"
        disabled={!props.ready}
      >
        Export
      </Button>
    </>
  );
}

/** Asks for a period or a campaign, then downloads its SOC 2 evidence package with progress. */
export function ExportEvidenceDialog(props: ExportEvidenceDialogProps) {
  const [kind, setKind] = useState<ScopeKind>('dates');
  const [period, setPeriod] = useState<EvidencePeriod>(lastCompleteQuarter);
  const [campaign, setCampaign] = useState('');
  const { state, start, cancel } = useEvidenceDownload({
    onDownloaded: props.onExported,
  });

  const running = state.status === 'running';
  const errors = kind === 'dates' ? periodErrors(period) : {};
  let scope: EvidenceScope | undefined = period;
  if (kind === 'campaign') scope = campaign ? { campaign } : undefined;
  const ready = !!scope && !errors.from && !errors.to;

  return (
    <DialogForm
      id="nhi-export-evidence"
      title="Export evidence"
      description={
        <>
          A ZIP with the inventory, access reviews, exceptions, approvals,
          rotations, findings, usage and the ledger of the period, with an index
          and a manifest of hashes. Anyone can check it offline with{' '}
          <code>npx nhi-evidence verify &lt;file&gt;.zip</code>.
        </>
      }
      busy={running}
      canSubmit={ready}
      onSubmit={() => start(scope!)}
      onClose={props.onClose}
      error={state.status === 'failed' ? state.error : undefined}
      actions={
        <ExportActions
          running={running}
          ready={ready}
          onCancel={cancel}
          onClose={props.onClose}
        />
      }
    >
      <ScopeKindChoice value={kind} onChange={setKind} disabled={running} />
      {kind === 'dates' ? (
        <PeriodFields
          value={period}
          onChange={setPeriod}
          errors={errors}
          disabled={running}
        />
      ) : (
        <CampaignSelect
          value={campaign}
          onChange={setCampaign}
          disabled={running}
        />
      )}
      <DownloadStatus state={state} />
    </DialogForm>
  );
}

/** The header button that opens the export dialog. */
export function ExportEvidenceButton(props: { onExported?: () => void }) {
  const [open, setOpen] = useState(false);
  // Offered only to those who may export; the backend refuses the others anyway.
  const { allowed } = usePermission({
    permission: nhiEvidenceExportPermission,
  });
  if (!allowed) return null;
  return (
    <>
      <Button variant="contained" onClick={() => setOpen(true)}>
        Export evidence
      </Button>
      {open && (
        <ExportEvidenceDialog
          onClose={() => setOpen(false)}
          onExported={props.onExported}
        />
      )}
    </>
  );
}
