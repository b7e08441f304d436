import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { IdentityView } from '@nhi-governance/plugin-nhi-common';
import { screen, within } from '@testing-library/react';
import { NhiApi, nhiApiRef } from '../../api';
import {
  dbWriter,
  details,
  forbidden,
  identity,
  status,
  stripeKey,
} from '../EntityIdentitiesContent/__fixtures__/identities';
import { IdentityDetailsPanel } from './IdentityDetailsPanel';

async function renderPanel(view: IdentityView, getIdentity: jest.Mock) {
  const api: Pick<NhiApi, 'getIdentity'> = { getIdentity };
  await renderInTestApp(
    <TestApiProvider apis={[[nhiApiRef, api]]}>
      <IdentityDetailsPanel identity={view} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

// Rendering under jsdom is slow when the test suites run in parallel.
jest.setTimeout(20_000);

describe('IdentityDetailsPanel', () => {
  it('explains each finding with its remediation and controls', async () => {
    const getIdentity = jest.fn().mockResolvedValue(details(dbWriter));

    await renderPanel(dbWriter, getIdentity);

    const finding = document.querySelector(
      '[data-finding="rotation-overdue"]',
    ) as HTMLElement;
    const f = within(finding);
    expect(f.getByText('Rotation overdue')).toBeInTheDocument();
    expect(f.getByText('high')).toBeInTheDocument();
    expect(
      f.getByText(
        'The credential is older than its rotation period, so a leaked copy keeps working.',
      ),
    ).toBeInTheDocument();
    expect(
      f.getByText('Rotate the credential and record the rotation.'),
    ).toBeInTheDocument();
    expect(f.getByText('SOC 2')).toBeInTheDocument();
    expect(f.getByText('CC6.1')).toBeInTheDocument();
    expect(f.getByText('NIST CSF')).toBeInTheDocument();
    expect(f.getByText('PR.AA-01')).toBeInTheDocument();
    expect(f.getByText('OWASP NHI')).toBeInTheDocument();
    expect(f.getByText('NHI7 Long-Lived Secrets')).toBeInTheDocument();
    expect(f.getByText(/lastRotatedAt 2026-01-10/)).toBeInTheDocument();
    expect(getIdentity).toHaveBeenCalledWith('default', 'payments-db-writer');
  });

  it("shows an excepted finding's exception expiry", async () => {
    await renderPanel(
      stripeKey,
      jest.fn().mockResolvedValue(details(stripeKey)),
    );

    expect(
      screen.getByText(
        'Excepted until 2026-12-31 (approved by user:default/sam)',
      ),
    ).toBeInTheDocument();
  });

  it('shows the decision history from the ledger', async () => {
    await renderPanel(dbWriter, jest.fn().mockResolvedValue(details(dbWriter)));

    const history = await screen.findByRole('table', {
      name: 'Decision history',
    });
    const rows = within(history).getAllByRole('row');
    // Header, then review, exception and approval, newest first; other entries left out.
    expect(rows).toHaveLength(4);
    const review = within(rows[1]);
    expect(review.getByText('Review: certify')).toBeInTheDocument();
    expect(review.getByText('bulk decision batch-7')).toBeInTheDocument();
    expect(
      review.getByText('Still needed for nightly settlement'),
    ).toBeInTheDocument();
    expect(review.getByRole('link', { name: 'alice' })).toBeInTheDocument();
    expect(
      within(rows[2]).getByText(
        'Exception approved: never used until 2026-12-31',
      ),
    ).toBeInTheDocument();
    expect(
      within(rows[2]).getByText('Standby credential for failover'),
    ).toBeInTheDocument();
    expect(
      within(rows[3]).getByText('Approved by security'),
    ).toBeInTheDocument();
    expect(within(rows[3]).getByText('ticket SEC-1423')).toBeInTheDocument();
    expect(screen.queryByText('finding.opened')).not.toBeInTheDocument();
  });

  it('shows the event timeline with lifecycle events and daily use', async () => {
    await renderPanel(dbWriter, jest.fn().mockResolvedValue(details(dbWriter)));

    const timeline = await screen.findByRole('table', {
      name: 'Event timeline',
    });
    const rows = within(timeline).getAllByRole('row');
    expect(rows).toHaveLength(4);
    expect(
      within(rows[1]).getByText('Used 1204 times, 3 failed authentications'),
    ).toBeInTheDocument();
    expect(within(rows[1]).getByText('from 10.0.0.1')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Interactive login')).toBeInTheDocument();
    expect(
      within(rows[2]).getByText('by jdoe from 10.0.0.7'),
    ).toBeInTheDocument();
    expect(within(rows[3]).getByText('Issued')).toBeInTheDocument();
    expect(
      within(rows[3]).getByText('2026-01-10 08:00 UTC'),
    ).toBeInTheDocument();
  });

  it('says so when there is no history yet', async () => {
    const fresh = identity('fresh-token', { status: status() });
    await renderPanel(
      fresh,
      jest.fn().mockResolvedValue({
        identity: fresh,
        events: [],
        usage: [],
        ledger: [],
      }),
    );

    expect(
      await screen.findByText(
        'No review, exception or approval decisions yet.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No events or usage reported in the last 90 days.'),
    ).toBeInTheDocument();
    expect(screen.getByText('No open findings.')).toBeInTheDocument();
  });

  it('shows the findings while the history loads', async () => {
    await renderPanel(
      dbWriter,
      jest.fn().mockReturnValue(new Promise(() => {})),
    );

    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Rotation overdue')).toBeInTheDocument();
    expect(screen.queryByText('Decision history')).not.toBeInTheDocument();
  });

  it('shows an error when the history cannot be loaded', async () => {
    await renderPanel(
      dbWriter,
      jest.fn().mockRejectedValue(new Error('nhi backend is unavailable')),
    );

    expect(
      (await screen.findAllByText(/nhi backend is unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.getByText('Rotation overdue')).toBeInTheDocument();
  });

  it('names the missing permission on a 403', async () => {
    const error = await ResponseError.fromResponse(forbidden());
    await renderPanel(dbWriter, jest.fn().mockRejectedValue(error));

    expect(await screen.findByText('nhi.identity.read')).toBeInTheDocument();
  });
});
