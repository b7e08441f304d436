import { memo, useEffect, useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type {
  FindingCode,
  ReviewDecision,
  ReviewDecisionKind,
  ReviewItem,
} from '@nhi-governance/plugin-nhi-common';
import { DecisionInput, nhiApiRef } from '../../api';
import { DialogError, RecordedTextField, useDialogSubmit } from './dialogParts';
import {
  DASH,
  DECISION_LABELS,
  DECISION_MEANINGS,
  day,
  sameRef,
  seriousFindings,
  shortRef,
} from './helpers';
import {
  RefLink,
  ScopeList,
  SnapshotDetails,
  SnapshotFindings,
} from './SnapshotDetails';

export interface DecisionDialogProps {
  open: boolean;
  decision: ReviewDecisionKind;
  /** The item to decide, or several for a bulk decision. */
  items: ReviewItem[];
  /** Decide as one all-or-nothing batch (`decideBulk`); by default when there are several items. */
  bulk?: boolean;
  onClose: () => void;
  /** After the server recorded the decision (a success alert has been posted). */
  onDecided?: (decisions: ReviewDecision[]) => void;
}

const GROUP_REF = /^(group|user):([^/\s:]+\/)?[^/\s]+$/i;

/** `group:platform` becomes `group:default/platform`, as the server wants full refs. */
export function normalizeGroupRef(text: string) {
  const ref = text.trim();
  if (!GROUP_REF.test(ref)) return undefined;
  return ref.includes('/') ? ref : ref.replace(':', ':default/');
}

interface SeriousCode {
  code: FindingCode;
  title: string;
  severity: string;
  /** How many of the items have it open. */
  count: number;
}

/** Each high or critical finding code open on any of the items, once. */
function seriousCodes(items: ReviewItem[]): SeriousCode[] {
  const byCode = new Map<FindingCode, SeriousCode>();
  for (const item of items) {
    for (const f of seriousFindings(item.snapshot)) {
      const seen = byCode.get(f.code);
      if (seen) seen.count += 1;
      else byCode.set(f.code, { ...f, count: 1 });
    }
  }
  return [...byCode.values()];
}

const BulkList = memo(function BulkListView(props: { items: ReviewItem[] }) {
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

/**
 * Asks for one decision on a review item, or one decision for several items at once, and
 * shows first what is being certified: the identity's snapshot, or the list of identities.
 * The server's refusal (a missing acknowledgement, a campaign that closed) is shown in the
 * dialog, which stays open.
 */
export function DecisionDialog(props: DecisionDialogProps) {
  const { open, decision, items, onClose, onDecided } = props;
  const nhiApi = useApi(nhiApiRef);
  const bulk = props.bulk ?? items.length > 1;

  const [justification, setJustification] = useState('');
  const [scopesToRemove, setScopesToRemove] = useState<string[]>([]);
  const [reassignTo, setReassignTo] = useState('');
  const [acknowledgements, setAcknowledgements] = useState<
    Partial<Record<FindingCode, string>>
  >({});
  const { busy, error, reset, submit } = useDialogSubmit();

  // A dialog opened again, or for other items, starts blank.
  const itemKey = items.map(i => i.id).join(',');
  useEffect(() => {
    if (open) {
      setJustification('');
      setScopesToRemove([]);
      setReassignTo('');
      setAcknowledgements({});
      reset();
    }
  }, [open, decision, itemKey, reset]);

  const allScopes = useMemo(
    () => [...new Set(items.flatMap(i => i.snapshot.scopes))],
    [items],
  );
  const serious = useMemo(
    () => (decision === 'certify' ? seriousCodes(items) : []),
    [decision, items],
  );

  // What still keeps the decision from being complete, as the server would refuse it.
  const problems: string[] = [];
  if (!justification.trim()) problems.push('A justification is required.');
  if (decision === 'reduce-scope') {
    if (!scopesToRemove.length) {
      problems.push('Pick the scopes to remove.');
    } else {
      const untouched = items.filter(
        i => !i.snapshot.scopes.some(s => scopesToRemove.includes(s)),
      );
      if (untouched.length) {
        problems.push(
          `None of the picked scopes is held by ${untouched
            .map(i => shortRef(i.identity))
            .join(', ')}.`,
        );
      }
    }
  }
  const reassignRef = normalizeGroupRef(reassignTo);
  if (decision === 'reassign') {
    if (!reassignRef) {
      problems.push(
        'Name the group to hand over to, e.g. group:default/platform.',
      );
    } else if (items.some(i => sameRef(i.assignee, reassignRef))) {
      problems.push('Reassign to another group than the current one.');
    }
  }
  const missingAcks = serious.filter(s => !acknowledgements[s.code]?.trim());
  if (missingAcks.length) {
    problems.push('Acknowledge each open high or critical finding.');
  }

  const fieldsFor = (
    item: ReviewItem,
  ): Omit<DecisionInput, 'justification'> => {
    const fields: Omit<DecisionInput, 'justification'> = { decision };
    if (decision === 'reduce-scope') {
      fields.scopesToRemove = item.snapshot.scopes.filter(s =>
        scopesToRemove.includes(s),
      );
    }
    if (decision === 'reassign') fields.reassignTo = reassignRef;
    if (decision === 'certify') {
      const acks: Partial<Record<FindingCode, string>> = {};
      for (const f of seriousFindings(item.snapshot)) {
        acks[f.code] = acknowledgements[f.code]!.trim();
      }
      if (Object.keys(acks).length) fields.acknowledgements = acks;
    }
    return fields;
  };

  const confirm = async () => {
    if (problems.length || busy) return;
    const text = justification.trim();
    const decided = await submit(async () => ({
      result: bulk
        ? (
            await nhiApi.decideBulk({
              justification: text,
              decisions: items.map(item => ({
                itemId: item.id,
                ...fieldsFor(item),
              })),
            })
          ).decisions
        : [
            await nhiApi.decide(items[0].id, {
              ...fieldsFor(items[0]),
              justification: text,
            }),
          ],
      message: `Decision recorded: ${DECISION_LABELS[decision]} for ${
        items.length === 1
          ? shortRef(items[0].identity)
          : `${items.length} identities`
      }`,
    }));
    if (decided) onDecided?.(decided);
  };

  const label = DECISION_LABELS[decision];
  const title =
    items.length === 1 && !bulk
      ? `${label}: ${shortRef(items[0].identity)}`
      : `${label}: ${items.length} identities`;

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="nhi-decision-dialog-title"
      data-testid="decision-dialog"
    >
      <DialogTitle id="nhi-decision-dialog-title">{title}</DialogTitle>
      <DialogContent dividers>
        <Typography variant="body2" paragraph>
          {DECISION_MEANINGS[decision]}
        </Typography>
        {bulk && (
          <Typography variant="body2" paragraph>
            One justification is recorded on every identity below. The batch is
            all or nothing: if the server refuses one identity, none is decided.
          </Typography>
        )}
        {items.length === 1 && !bulk ? (
          <>
            <Typography variant="caption" color="textSecondary">
              As recorded when campaign {items[0].period} opened; due{' '}
              {day(items[0].dueAt)}.
            </Typography>
            <SnapshotDetails item={items[0]} />
          </>
        ) : (
          <BulkList items={items} />
        )}

        {decision === 'reduce-scope' && (
          <FormControl component="fieldset" margin="normal" fullWidth>
            <FormLabel component="legend">Scopes to remove</FormLabel>
            <FormGroup>
              {allScopes.map(scope => {
                const holders = items.filter(i =>
                  i.snapshot.scopes.includes(scope),
                ).length;
                return (
                  <FormControlLabel
                    key={scope}
                    control={
                      <Checkbox
                        checked={scopesToRemove.includes(scope)}
                        onChange={(_e, checked) =>
                          setScopesToRemove(current =>
                            checked
                              ? [...current, scope]
                              : current.filter(s => s !== scope),
                          )
                        }
                        inputProps={{ 'aria-label': scope }}
                      />
                    }
                    label={
                      items.length > 1
                        ? `${scope} (${holders} of ${items.length})`
                        : scope
                    }
                  />
                );
              })}
            </FormGroup>
            {allScopes.length === 0 && (
              <FormHelperText>The snapshot lists no scopes.</FormHelperText>
            )}
          </FormControl>
        )}

        {decision === 'reassign' && (
          <TextField
            id="nhi-decision-reassign-to"
            label="Reassign to"
            placeholder="group:default/platform"
            helperText="The group asked to take the identity over; it must accept before the item becomes theirs."
            value={reassignTo}
            onChange={e => setReassignTo(e.target.value)}
            required
            fullWidth
            margin="normal"
            inputProps={{ 'data-testid': 'reassign-to' }}
          />
        )}

        {serious.length > 0 && (
          <FormControl component="fieldset" margin="normal" fullWidth>
            <FormLabel component="legend">
              Acknowledge each open high or critical finding
            </FormLabel>
            {serious.map(f => (
              <TextField
                key={f.code}
                id={`nhi-decision-ack-${f.code}`}
                label={`Acknowledge: ${f.title} (${f.severity})`}
                helperText={
                  items.length > 1
                    ? `Open on ${f.count} of ${items.length} identities; recorded on each.`
                    : 'Why certify the identity while this finding is open?'
                }
                value={acknowledgements[f.code] ?? ''}
                onChange={e => {
                  const value = e.target.value;
                  setAcknowledgements(current => ({
                    ...current,
                    [f.code]: value,
                  }));
                }}
                required
                fullWidth
                multiline
                margin="dense"
                inputProps={{ 'data-testid': `ack-${f.code}` }}
              />
            ))}
          </FormControl>
        )}

        <RecordedTextField
          id="nhi-decision-justification"
          label="Justification"
          value={justification}
          onChange={setJustification}
          helperText={
            bulk
              ? 'Recorded on every identity in the batch.'
              : 'Recorded in the audit ledger with the decision.'
          }
          testId="justification"
        />

        <DialogError error={error} testId="decision-error" />
      </DialogContent>
      <DialogActions>
        {problems.length > 0 && (
          <Typography
            variant="caption"
            color="textSecondary"
            style={{ marginRight: 'auto', paddingLeft: 8 }}
          >
            {problems[0]}
          </Typography>
        )}
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={confirm}
          disabled={problems.length > 0 || busy}
          data-testid="decision-confirm"
          startIcon={busy ? <CircularProgress size={16} /> : undefined}
        >
          Confirm
        </Button>
      </DialogActions>
    </Dialog>
  );
}
