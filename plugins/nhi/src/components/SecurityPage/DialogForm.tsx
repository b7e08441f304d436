import type { ReactNode } from 'react';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';

export interface DialogFormProps {
  /** Names the title element, which labels the dialog. */
  id: string;
  open?: boolean;
  title: string;
  /** What the action does, above the fields. */
  description?: ReactNode;
  /** While busy the dialog stays open and Enter does not submit again. */
  busy: boolean;
  canSubmit: boolean;
  onSubmit: () => void;
  onClose: () => void;
  /** Shown as an alert below the fields: the server's refusal, in its words. */
  error?: string;
  children?: ReactNode;
  actions: ReactNode;
}

/** The frame of the page's dialogs: a form that submits on Enter, with its error and buttons. */
export function DialogForm(props: DialogFormProps) {
  const { busy, onClose } = props;
  const titleId = `${props.id}-title`;
  return (
    <Dialog
      open={props.open ?? true}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby={titleId}
    >
      <form
        onSubmit={e => {
          e.preventDefault();
          if (props.canSubmit && !busy) props.onSubmit();
        }}
      >
        <DialogTitle id={titleId}>{props.title}</DialogTitle>
        <DialogContent>
          {props.description && (
            <DialogContentText component="div">
              {props.description}
            </DialogContentText>
          )}
          {props.children}
          {props.error && (
            <Typography color="error" role="alert" style={{ marginTop: 8 }}>
              {props.error}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>{props.actions}</DialogActions>
      </form>
    </Dialog>
  );
}
