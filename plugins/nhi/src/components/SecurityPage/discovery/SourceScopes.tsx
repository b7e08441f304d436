import { DateTime } from 'luxon';
import { StatusError, StatusOK } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import type { DiscoverySourceHealth } from '@nhi-governance/plugin-nhi-common';

const when = (iso?: string) =>
  iso
    ? DateTime.fromISO(iso, { zone: 'utc' }).toFormat("yyyy-MM-dd HH:mm 'UTC'")
    : 'no earlier read';

const credentials = (n: number) => `${n} credential${n === 1 ? '' : 's'}`;

/**
 * How each account, tenant or cluster of a connector's latest run went. A failed one names the
 * provider's answer and says what is kept of it, so a stale account is never taken for a
 * current one.
 */
export function SourceScopes(props: { source: DiscoverySourceHealth }) {
  const scopes = props.source.runs[0]?.scopes;
  if (!scopes?.length) return null;
  return (
    <ul
      aria-label={`Accounts read by ${props.source.id}`}
      style={{ margin: 0, paddingLeft: 0, listStyle: 'none' }}
    >
      {scopes.map(s => (
        <li key={s.scope} data-testid="source-scope">
          {s.status === 'ok' ? (
            <StatusOK>
              {s.scope}: read, {credentials(s.credentials)}
            </StatusOK>
          ) : (
            <>
              <StatusError>{s.scope}: failed</StatusError>
              <Typography variant="body2" color="error">
                {s.error}
              </Typography>
              <Typography variant="body2" color="textSecondary">
                Kept: {credentials(s.credentials)} from {when(s.keptFrom)}
              </Typography>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
