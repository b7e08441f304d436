import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';

interface DecisionButton {
  label: string;
  /** The accessible name, naming the identity the decision is about. */
  ariaLabel: string;
  onClick: () => void;
}

/** A queue row's two choices side by side: the positive one first, the other in the secondary colour. */
export function DecisionButtons(props: {
  approve: DecisionButton;
  refuse: DecisionButton;
}) {
  const button = (b: DecisionButton, color: 'primary' | 'secondary') => (
    <Button
      size="small"
      variant="outlined"
      color={color}
      onClick={b.onClick}
      aria-label={b.ariaLabel}
    >
      {b.label}
    </Button>
  );
  return (
    <Box display="flex" style={{ gap: 8 }}>
      {button(props.approve, 'primary')}
      {button(props.refuse, 'secondary')}
    </Box>
  );
}
