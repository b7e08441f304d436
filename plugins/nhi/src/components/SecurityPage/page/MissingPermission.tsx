import { WarningPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { nhiAdminReadPermission } from '@nhi-governance/plugin-nhi-common';

/** Instead of the page, for someone without `nhi.admin.read`: which permission, and where their own identities are. */
export function MissingPermission() {
  return (
    <WarningPanel
      severity="warning"
      title="You cannot see the org-wide machine identity views"
      message={
        <>
          <Typography component="span" display="block" paragraph>
            This page needs the <code>{nhiAdminReadPermission.name}</code>{' '}
            permission (security administrators). You do not have it, so the
            rollups, the identity list of the whole organisation, the campaigns
            and the security queues are not shown.
          </Typography>
          <Typography component="span" display="block">
            Your team's identities are on the Identities tab of your group and
            components. Ask your portal administrator for{' '}
            <code>{nhiAdminReadPermission.name}</code> if you need this view.
          </Typography>
        </>
      }
    />
  );
}
