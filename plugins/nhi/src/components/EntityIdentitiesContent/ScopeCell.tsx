import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { IdentityView } from '@nhi-governance/plugin-nhi-common';

/** Privilege, then one chip per scope; long scopes are cut with the full text on hover. */
export function ScopeCell(props: {
  identity: Pick<IdentityView, 'privilege' | 'scopes'>;
}) {
  const { privilege, scopes = [] } = props.identity;
  return (
    <Box
      display="flex"
      flexDirection="column"
      alignItems="flex-start"
      style={{ gap: 4 }}
    >
      <Typography variant="body2">{privilege ?? '—'}</Typography>
      {scopes.map(scope => (
        <Tooltip key={scope} title={scope}>
          <Chip
            size="small"
            variant="outlined"
            label={scope}
            style={{ maxWidth: 200 }}
          />
        </Tooltip>
      ))}
    </Box>
  );
}
