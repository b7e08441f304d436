import { usePermission } from '@backstage/plugin-permission-react';
import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import {
  type EvidencePeriod,
  nhiEvidenceExportPermission,
} from '@nhi-governance/plugin-nhi-common';
import type { EvidenceScope } from '../../../api';
import { DialogForm } from '../DialogForm';
import { CampaignSelect } from './CampaignSelect';
import { DownloadStatus } from './DownloadStatus';
import { lastCompleteQuarter, periodErrors } from './evidenceForm';
import { useEvidenceDownload } from './useEvidenceDownload';

type ScopeKind = 'dates' | 'campaign';

export interface ExportEvidenceDialogProps {
  onClose: () => void;
  /** Called when a package has been downloaded (a new export is in the ledger). */
  onExported?: () => void;
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

  const dateField = (field: keyof EvidencePeriod, label: string) => (
    <TextField
      id={`nhi-evidence-${field}`}
      label={label}
      type="date"
      required
      value={period[field]}
      onChange={e => setPeriod(p => ({ ...p, [field]: e.target.value }))}
      error={!!errors[field]}
      helperText={errors[field]}
      disabled={running}
      margin="dense"
      variant="outlined"
      InputLabelProps={{ shrink: true }}
    />
  );

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
        running ? (
          <Button onClick={cancel}>Cancel</Button>
        ) : (
          <>
            <Button onClick={props.onClose}>Close</Button>
            <Button
              type="submit"
              color="primary"
              variant="contained"
              disabled={!ready}
            >
              Export
            </Button>
          </>
        )
      }
    >
      <RadioGroup
        row
        aria-label="Scope"
        name="scope"
        value={kind}
        onChange={e => setKind(e.target.value as ScopeKind)}
      >
        <FormControlLabel
          value="dates"
          control={<Radio color="primary" />}
          label="Dates"
          disabled={running}
        />
        <FormControlLabel
          value="campaign"
          control={<Radio color="primary" />}
          label="Campaign"
          disabled={running}
        />
      </RadioGroup>
      {kind === 'dates' ? (
        <Box display="flex" style={{ gap: 16 }}>
          {dateField('from', 'From')}
          {dateField('to', 'To')}
        </Box>
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
