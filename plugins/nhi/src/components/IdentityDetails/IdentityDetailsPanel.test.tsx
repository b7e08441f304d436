import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type {
  IdentitySourceFacts,
  IdentityView,
} from '@nhi-governance/plugin-nhi-common';
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

/** The panel of an identity whose details carry these source facts. */
async function renderWithSources(sources: IdentitySourceFacts[]) {
  await renderPanel(
    dbWriter,
    jest.fn().mockResolvedValue({ ...details(dbWriter), sources }),
  );
  return within(await screen.findByRole('region', { name: 'Sources' }));
}

const credentialReport = {
  sourceId: 'aws-example',
  format: 'aws-credential-report',
  readAt: '2026-11-29T08:00:00.000Z',
  reportsUsage: true,
};

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

  it('says where a source disagrees with the declaration, and that its date wins', async () => {
    const sources = await renderWithSources([
      {
        ...credentialReport,
        listed: true,
        credentials: [
          {
            externalId:
              'arn:aws:iam::123456789012:user/orders-queue-consumer#access_key_1',
            kind: 'access-key',
            active: true,
          },
        ],
        dates: {
          createdAt: '2026-02-16T11:20:00.000Z',
          lastRotatedAt: '2026-07-02T09:12:44.000Z',
          lastUsedAt: '2026-11-28T22:10:00.000Z',
        },
        disagreements: [
          {
            field: 'lastRotatedAt',
            declared: '2026-10-20',
            source: '2026-07-02T09:12:44.000Z',
          },
        ],
      },
    ]);

    expect(sources.getByText('aws-example')).toBeInTheDocument();
    expect(
      sources.getByText('aws-credential-report · read 2026-11-29 08:00 UTC'),
    ).toBeInTheDocument();
    expect(sources.getByText('Listed')).toBeInTheDocument();
    expect(sources.getByTestId('source-disagreement')).toHaveTextContent(
      "Declared lastRotatedAt 2026-10-20, source says 2026-07-02; the source's date is used.",
    );
    expect(
      sources.getByText(
        'Credentials: arn:aws:iam::123456789012:user/orders-queue-consumer#access_key_1 (access-key, active)',
      ),
    ).toBeInTheDocument();
    expect(
      sources.getByText(
        'Source dates: created 2026-02-16 · last rotated 2026-07-02 · last used 2026-11-28',
      ),
    ).toBeInTheDocument();
  });

  it('says a declared identity is missing at its source', async () => {
    const sources = await renderWithSources([
      { ...credentialReport, listed: false },
    ]);

    expect(
      sources.getByText(
        'Not listed: missing at source (its last full read no longer lists it)',
      ),
    ).toBeInTheDocument();
    expect(sources.queryByText(/^Credentials:/)).not.toBeInTheDocument();
  });

  it('says which source found an undeclared identity, with its owner hint and findings', async () => {
    const sources = await renderWithSources([
      {
        ...credentialReport,
        discovered: true,
        listed: true,
        credentials: [
          {
            externalId: 'arn:aws:iam::123456789012:root#access_key_1',
            kind: 'access-key',
            active: true,
          },
        ],
        ownerHint: 'platform',
        findings: [
          {
            code: 'root-access-key',
            severity: 'critical',
            detail: 'The root account has an active access key',
          },
        ],
      },
    ]);

    expect(
      sources.getByText(
        'Discovered: listed by this source, declared by nobody',
      ),
    ).toBeInTheDocument();
    expect(
      sources.getByText('Owner named by the source: platform'),
    ).toBeInTheDocument();
    expect(
      sources.getByText('critical: The root account has an active access key'),
    ).toBeInTheDocument();
    // The source reports use, and gives no date: never used.
    expect(sources.getByText('Source dates: never used')).toBeInTheDocument();
  });

  it("shows a leak scan's locations and a usage log's counts", async () => {
    const sources = await renderWithSources([
      {
        sourceId: 'trufflehog-example',
        format: 'trufflehog',
        readAt: '2026-11-29T08:01:00.000Z',
        leaks: [
          {
            scanner: 'trufflehog',
            rule: 'AWS',
            keyId: 'AKIAIOSFODNN7EXAMPLE',
            file: 'services/billing/config/settings.py',
            line: 42,
            commit: '0f2e4d6c8b0a2e4c6b8d0f2a4c6e8b0d2f4a6c8e',
            repository: 'https://github.com/acme/billing.git',
            date: '2026-03-18T13:22:07.000Z',
            verified: true,
          },
        ],
      },
      {
        sourceId: 'cloudtrail-example',
        format: 'aws-cloudtrail',
        readAt: '2026-11-29T08:02:00.000Z',
        usage: { uses: 12, authFailures: 1, lastAt: '2026-11-28T21:00:00Z' },
      },
    ]);

    expect(sources.getByTestId('source-leak')).toHaveTextContent(
      'services/billing/config/settings.py:42 · https://github.com/acme/billing.git · commit 0f2e4d6c8b0a · committed 2026-03-18 (trufflehog AWS, verified working)',
    );
    expect(
      sources.getByText(
        'Usage log: 12 uses, 1 failed authentication, last 2026-11-28 21:00 UTC',
      ),
    ).toBeInTheDocument();
    // Neither reads a credential list: no listed state.
    expect(sources.queryByText('Listed')).not.toBeInTheDocument();
  });

  it('says so when no discovery source lists the identity', async () => {
    const sources = await renderWithSources([]);
    expect(
      sources.getByText('No discovery source lists this identity.'),
    ).toBeInTheDocument();
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
