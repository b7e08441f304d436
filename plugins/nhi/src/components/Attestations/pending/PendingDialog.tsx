import { DecisionDialog } from '../DecisionDialog';
import { ReassignmentDialog } from '../ReassignmentDialog';
import type { OpenDialog } from './pendingRows';

/** The dialog a row or the bulk bar opened: a decision, or accepting or declining a handover. */
export function PendingDialog(props: {
  dialog?: OpenDialog;
  onClose: () => void;
  onDone: () => void;
}) {
  const { dialog, onClose, onDone } = props;
  if (dialog?.kind === 'decision') {
    return (
      <DecisionDialog
        open
        decision={dialog.decision}
        items={dialog.items}
        bulk={dialog.items.length > 1}
        onClose={onClose}
        onDecided={onDone}
      />
    );
  }
  if (dialog?.kind === 'reassignment') {
    return (
      <ReassignmentDialog
        open
        item={dialog.item}
        accept={dialog.accept}
        onClose={onClose}
        onDone={onDone}
      />
    );
  }
  return null;
}
