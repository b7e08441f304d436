import { CodeSnippet } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';

/** The MachineIdentity YAML a team copies into its catalog-info.yaml to claim what a source found. */
export function ClaimDialog(props: {
  /** What is claimed, as the title names it. */
  name: string;
  yaml: string;
  onClose: () => void;
}) {
  return (
    <Dialog open onClose={props.onClose} maxWidth="md" fullWidth>
      <DialogTitle>Claim {props.name}</DialogTitle>
      <DialogContent>
        <Typography paragraph>
          The owning team adds this to its catalog-info.yaml, with the purpose,
          the components that use it and its scopes. Once the catalog reads it,
          the credential counts as declared.
        </Typography>
        <CodeSnippet language="yaml" text={props.yaml} showCopyCodeButton />
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
