import useAsync from 'react-use/esm/useAsync';
import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Typography from '@material-ui/core/Typography';
import { nhiApiRef } from '../../api';
import { ATTESTATIONS_PAGE_PATH } from '../../routes';
import {
  day,
  errorMessage,
  isAccessError,
  isOverdue,
} from '../Attestations/helpers';

/** Enough to find the nearest due date among the viewer's items. */
const PAGE = 500;

/** How many identities wait for the viewer's decision, and the next due date. */
export function MyAttestationsSummary() {
  const nhiApi = useApi(nhiApiRef);
  const { value, loading, error } = useAsync(
    () => nhiApi.listMyReviewItems({ limit: PAGE }),
    [nhiApi],
  );

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error) {
    body = (
      <Typography variant="body2" color="textSecondary">
        {isAccessError(error)
          ? 'Attestations are given by signed-in people.'
          : `Could not load your attestations: ${errorMessage(error)}`}
      </Typography>
    );
  } else {
    const items = value?.items ?? [];
    const count = Math.max(value?.totalItems ?? 0, items.length);
    const next = [...items].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
    const overdue = items.filter(i => isOverdue(i)).length;
    body =
      count === 0 ? (
        <Typography variant="body1" data-testid="attestations-count">
          Nothing to review.
        </Typography>
      ) : (
        <>
          <Typography
            variant="h4"
            component="p"
            data-testid="attestations-count"
          >
            {count}
          </Typography>
          <Typography variant="body2">
            {count === 1 ? 'identity waits' : 'identities wait'} for your
            decision
          </Typography>
          {next && (
            <Typography
              variant="body2"
              color={isOverdue(next) ? 'error' : 'textSecondary'}
              data-testid="attestations-next-due"
            >
              Next due {day(next.dueAt)} (campaign {next.period})
              {overdue > 0 && `, ${overdue} overdue`}
            </Typography>
          )}
          <Typography variant="body2" style={{ marginTop: 8 }}>
            <Link to={ATTESTATIONS_PAGE_PATH}>Review now</Link>
          </Typography>
        </>
      );
  }

  return body;
}

/**
 * For a home page: the summary in a card of its own. The new frontend system's home widget
 * renders the summary alone, in the widget's card.
 */
export function MyAttestationsCard() {
  return (
    <InfoCard
      title="My attestations"
      deepLink={{ title: 'All my attestations', link: ATTESTATIONS_PAGE_PATH }}
    >
      <MyAttestationsSummary />
    </InfoCard>
  );
}
