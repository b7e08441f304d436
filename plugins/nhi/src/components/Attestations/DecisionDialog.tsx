import { useEffect, useMemo, useState } from 'react';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import type {
  ReviewDecision,
  ReviewDecisionKind,
  ReviewItem,
} from '@nhi-governance/plugin-nhi-common';
import { AcknowledgementFields } from './decision/AcknowledgementFields';
import { DecisionActions } from './decision/DecisionActions';
import {
  type DecisionFormValues,
  EMPTY_DECISION_FORM,
  type SeriousCode,
  decisionProblems,
  seriousCodes,
} from './decision/decisionRules';
import { DecisionSubject } from './decision/DecisionSubject';
import { ScopesToRemoveField } from './decision/ScopesToRemoveField';
import { useSendDecision } from './decision/useSendDecision';
import { DialogError, RecordedTextField, useDialogSubmit } from './dialogParts';
import { DECISION_LABELS, shortRef } from './helpers';

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

/** The form's values, blank again whenever the dialog opens, or opens for other items. */
function useDecisionForm(props: DecisionDialogProps, reset: () => void) {
  const { open, decision, items } = props;
  const [values, setValues] = useState<DecisionFormValues>(EMPTY_DECISION_FORM);
  const itemKey = items.map(i => i.id).join(',');
  useEffect(() => {
    if (open) {
      setValues(EMPTY_DECISION_FORM);
      reset();
    }
  }, [open, decision, itemKey, reset]);
  const update: UpdateForm = patch =>
    setValues(current => ({ ...current, ...patch(current) }));
  return { values, update };
}

type UpdateForm = (
  patch: (current: DecisionFormValues) => Partial<DecisionFormValues>,
) => void;

/** The inputs the decision needs: scopes, a new group, acknowledgements, and always a justification. */
function DecisionFields(props: {
  decision: ReviewDecisionKind;
  items: ReviewItem[];
  bulk: boolean;
  serious: SeriousCode[];
  values: DecisionFormValues;
  update: UpdateForm;
}) {
  const { decision, items, bulk, serious, values, update } = props;
  return (
    <>
      {decision === 'reduce-scope' && (
        <ScopesToRemoveField
          items={items}
          value={values.scopesToRemove}
          onChange={change =>
            update(v => ({ scopesToRemove: change(v.scopesToRemove) }))
          }
        />
      )}
      {decision === 'reassign' && (
        <TextField
          id="nhi-decision-reassign-to"
          label="Reassign to"
          placeholder="group:default/platform"
          helperText="The group asked to take the identity over; it must accept before the item becomes theirs."
          value={values.reassignTo}
          onChange={e => {
            const reassignTo = e.target.value;
            update(() => ({ reassignTo }));
          }}
          required
          fullWidth
          margin="normal"
          inputProps={{ 'data-testid': 'reassign-to' }}
        />
      )}
      {serious.length > 0 && (
        <AcknowledgementFields
          serious={serious}
          itemCount={items.length}
          value={values.acknowledgements}
          onChange={(code, text) =>
            update(v => ({
              acknowledgements: { ...v.acknowledgements, [code]: text },
            }))
          }
        />
      )}
      <RecordedTextField
        id="nhi-decision-justification"
        label="Justification"
        value={values.justification}
        onChange={justification => update(() => ({ justification }))}
        helperText={
          bulk
            ? 'Recorded on every identity in the batch.'
            : 'Recorded in the audit ledger with the decision.'
        }
        testId="justification"
      />
    </>
  );
}

/**
 * Asks for one decision on a review item, or one decision for several items at once, and
 * shows first what is being certified: the identity's snapshot, or the list of identities.
 * The server's refusal (a missing acknowledgement, a campaign that closed) is shown in the
 * dialog, which stays open.
 */
export function DecisionDialog(props: DecisionDialogProps) {
  const { open, decision, items, onClose, onDecided } = props;
  const bulk = props.bulk ?? items.length > 1;
  const { busy, error, reset, submit } = useDialogSubmit();
  const { values, update } = useDecisionForm(props, reset);
  const send = useSendDecision();

  const serious = useMemo(
    () => (decision === 'certify' ? seriousCodes(items) : []),
    [decision, items],
  );
  const problems = decisionProblems(decision, items, serious, values);

  const confirm = async () => {
    if (problems.length || busy) return;
    const decided = await submit(() => send(decision, items, bulk, values));
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
        <DecisionSubject decision={decision} items={items} bulk={bulk} />
        <DecisionFields
          decision={decision}
          items={items}
          bulk={bulk}
          serious={serious}
          values={values}
          update={update}
        />
        <DialogError error={error} testId="decision-error" />
      </DialogContent>
      <DecisionActions
        problems={problems}
        busy={busy}
        onCancel={onClose}
        onConfirm={confirm}
      />
    </Dialog>
  );
}
