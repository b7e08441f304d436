import { ResponseErrorPanel, WarningPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import Typography from '@material-ui/core/Typography';

/** The permission a 403 from the nhi backend names ("Missing permission nhi.identity.read"). */
export function missingPermission(error: Error): string | undefined {
  if (!ResponseError.is(error)) return undefined;
  const status = error.response?.status ?? error.statusCode;
  if (status !== 403) return undefined;
  const message = error.body?.error?.message ?? error.cause?.message ?? '';
  const named = /Missing permission ([\w.-]+)/.exec(message);
  return named ? named[1] : message || 'unknown';
}

/**
 * ResponseErrorPanel, except for a 403: that says plainly which permission the viewer lacks,
 * rather than showing a stack trace.
 */
export function IdentitiesErrorPanel(props: { error: Error; title?: string }) {
  const permission = missingPermission(props.error);
  if (permission === undefined) {
    return <ResponseErrorPanel error={props.error} title={props.title} />;
  }
  return (
    <WarningPanel
      severity="warning"
      title="You don't have access to these machine identities"
      defaultExpanded
    >
      <Typography variant="body2">
        Missing permission <code>{permission}</code>. Ask the team that runs the
        developer portal, or the owners of these identities, to grant it.
      </Typography>
    </WarningPanel>
  );
}
