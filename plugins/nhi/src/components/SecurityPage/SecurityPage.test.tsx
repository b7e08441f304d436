import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SecurityPage } from './SecurityPage';
import {
  evidenceExport,
  evidenceFilename,
  fakeNhiApi,
  figures,
  identity,
  mockChartLayout,
  mockFileDownloads,
  renderWithApis,
  responseError,
} from './__testUtils__/securityFixtures';

mockChartLayout();
const downloads = mockFileDownloads();

describe('SecurityPage', () => {
  it('shows progress while the rollups load', async () => {
    const nhiApi = fakeNhiApi({
      getRollups: jest.fn(() => new Promise(() => {})),
    });
    await renderWithApis(<SecurityPage />, { nhiApi });
    expect(
      screen.getByRole('heading', { name: 'Machine identities' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('names the missing permission when the rollups answer 403', async () => {
    const nhiApi = fakeNhiApi({
      getRollups: jest
        .fn()
        .mockRejectedValue(
          responseError(403, 'Missing permission nhi.admin.read'),
        ),
    });
    await renderWithApis(<SecurityPage />, { nhiApi });
    expect(
      await screen.findByText(
        /You cannot see the org-wide machine identity views/,
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByText('nhi.admin.read').length).toBeGreaterThan(0);
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
    expect(nhiApi.listIdentities).not.toHaveBeenCalled();
  });

  it('shows any other error as an error', async () => {
    const nhiApi = fakeNhiApi({
      getRollups: jest
        .fn()
        .mockRejectedValue(responseError(500, 'database unavailable')),
    });
    await renderWithApis(<SecurityPage />, { nhiApi });
    expect(
      await screen.findByText(/Request failed with 500/),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/You cannot see the org-wide/),
    ).not.toBeInTheDocument();
  });

  it('shows the KPIs from the rollup total and the open campaign', async () => {
    const { nhiApi } = await renderWithApis(<SecurityPage />);
    const kpi = async (id: string) => screen.findByTestId(`kpi-${id}`);
    expect(await kpi('identities')).toHaveTextContent('1,200');
    expect(await kpi('compliant')).toHaveTextContent('75%');
    expect(await kpi('rotation-overdue')).toHaveTextContent('42');
    expect(await kpi('expired')).toHaveTextContent('7');
    expect(await kpi('orphaned')).toHaveTextContent('12');
    expect(await kpi('dormant')).toHaveTextContent('30');
    expect(await kpi('unapproved')).toHaveTextContent('5');
    await waitFor(async () =>
      expect(await kpi('review-completion')).toHaveTextContent('40%'),
    );
    expect(nhiApi.getRollups).toHaveBeenCalledWith('all');
    expect(nhiApi.listCampaigns).toHaveBeenCalledWith(['open']);
    expect(await kpi('rotation-overdue')).toHaveAttribute(
      'href',
      '/?tab=identities&rotation=overdue',
    );
    expect(await kpi('orphaned')).toHaveAttribute(
      'href',
      '/?tab=identities&finding=owner-missing&finding=owner-orphaned',
    );
  });

  it('opens the filtered identity list when a KPI is clicked', async () => {
    const { nhiApi } = await renderWithApis(<SecurityPage />);
    await userEvent.click(await screen.findByTestId('kpi-rotation-overdue'));

    expect(await screen.findByText('Rotation: overdue')).toBeInTheDocument();
    await waitFor(() =>
      expect(nhiApi.listIdentities).toHaveBeenCalledWith({
        rotation: ['overdue'],
        sort: 'risk',
        order: 'desc',
        limit: 20,
        offset: 0,
      }),
    );
    expect(
      await screen.findByText('Settlement writes to the payments database'),
    ).toBeInTheDocument();
    expect(screen.getByText('rotated 214 days ago, policy 90')).toBeVisible();
    expect(screen.getByRole('tab', { name: 'Identities' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('opens the list with both dormancy statuses from the dormant KPI', async () => {
    const { nhiApi } = await renderWithApis(<SecurityPage />);
    await userEvent.click(await screen.findByTestId('kpi-dormant'));
    await waitFor(() =>
      expect(nhiApi.listIdentities).toHaveBeenCalledWith(
        expect.objectContaining({ usage: ['dormant', 'never-used'] }),
      ),
    );
    expect(screen.getByText('Usage: dormant')).toBeInTheDocument();
    expect(screen.getByText('Usage: never used')).toBeInTheDocument();
  });

  it('reads the filter from a shared link and drops a removed chip', async () => {
    const { nhiApi } = await renderWithApis(<SecurityPage />, {
      path: '/?owner=group:default/payments&rotation=expired',
    });
    await waitFor(() =>
      expect(nhiApi.listIdentities).toHaveBeenCalledWith(
        expect.objectContaining({
          owner: ['group:default/payments'],
          rotation: ['expired'],
        }),
      ),
    );
    const chip = await screen.findByTestId('filter-chip-rotation-expired');
    // The chip's delete icon.
    fireEvent.click(chip.querySelector('svg')!);
    await waitFor(() =>
      expect(nhiApi.listIdentities).toHaveBeenLastCalledWith({
        owner: ['group:default/payments'],
        sort: 'risk',
        order: 'desc',
        limit: 20,
        offset: 0,
      }),
    );
    expect(
      screen.queryByTestId('filter-chip-rotation-expired'),
    ).not.toBeInTheDocument();
    expect(screen.getByText('Owner: payments')).toBeInTheDocument();
  });

  it('draws the charts and opens the list for a clicked bar', async () => {
    const { nhiApi } = await renderWithApis(<SecurityPage />);
    const byFinding = await screen.findByTestId('identities-by-finding-chart');
    expect(byFinding).toHaveAttribute('aria-label', 'Identities per finding');
    const byOwner = await screen.findByTestId('findings-by-owner-chart');
    expect(await screen.findByTestId('compliance-trend-chart')).toBeVisible();

    await waitFor(() =>
      expect(byFinding.querySelectorAll('.recharts-bar-rectangle').length).toBe(
        3,
      ),
    );
    // The worst group (payments) first; its first stacked segment is rotation overdue.
    expect(
      byOwner.querySelectorAll('.recharts-bar-rectangle').length,
    ).toBeGreaterThan(0);

    const bars = byFinding.querySelectorAll('.recharts-bar-rectangle');
    fireEvent.click(bars[0]);
    await waitFor(() =>
      expect(nhiApi.listIdentities).toHaveBeenCalledWith(
        expect.objectContaining({ finding: ['rotation-overdue'] }),
      ),
    );
    expect(await screen.findByText('Finding: Rotation overdue')).toBeVisible();
  });

  it('opens the group and finding of a clicked owner bar', async () => {
    const { nhiApi } = await renderWithApis(<SecurityPage />);
    const byOwner = await screen.findByTestId('findings-by-owner-chart');
    await waitFor(() =>
      expect(
        byOwner.querySelectorAll('.recharts-bar-rectangle').length,
      ).toBeGreaterThan(0),
    );
    // The first series is rotation overdue; its first bar is the group with the most findings.
    const firstSeries = byOwner.querySelector('.recharts-bar-rectangles')!;
    fireEvent.click(firstSeries.querySelectorAll('.recharts-bar-rectangle')[0]);
    await waitFor(() =>
      expect(nhiApi.listIdentities).toHaveBeenCalledWith(
        expect.objectContaining({
          owner: ['group:default/payments'],
          rotation: ['overdue'],
        }),
      ),
    );
  });

  it('shows empty states when there are no identities', async () => {
    const nhiApi = fakeNhiApi({
      getRollups: jest.fn(async by => ({
        dimension: by,
        rows: [],
        total: figures(),
      })),
      getTrend: jest.fn().mockResolvedValue({ points: [] }),
      listCampaigns: jest.fn().mockResolvedValue({ items: [] }),
      listIdentities: jest.fn().mockResolvedValue({ items: [], totalItems: 0 }),
    });
    await renderWithApis(<SecurityPage />, { nhiApi });
    expect(await screen.findByTestId('kpi-identities')).toHaveTextContent('0');
    expect(screen.getByTestId('kpi-review-completion')).toHaveTextContent(
      'no open campaign',
    );
    expect(
      await screen.findByText('No identity has an open finding.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No group has an identity with these findings.'),
    ).toBeInTheDocument();
    expect(screen.getByText(/No history yet/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'Identities' }));
    expect(
      await screen.findByText('No machine identities yet'),
    ).toBeInTheDocument();
    expect(screen.getByText('All identities, no filter')).toBeInTheDocument();
  });

  it('shows the campaigns and the queues in their tabs', async () => {
    const { nhiApi } = await renderWithApis(<SecurityPage />);
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Campaigns' }),
    );
    expect(await screen.findByText('Campaign 2026-Q2')).toBeInTheDocument();
    expect(nhiApi.getCampaign).toHaveBeenCalledWith('c-open');

    await userEvent.click(screen.getByRole('tab', { name: 'Queues' }));
    expect(
      await screen.findByText('The vendor rotates it only once a year'),
    ).toBeInTheDocument();
    expect(await screen.findByText('Deploys from CI')).toBeInTheDocument();
  });

  it('keeps identities without a computed status readable', async () => {
    const nhiApi = fakeNhiApi({
      listIdentities: jest.fn().mockResolvedValue({
        items: [{ ...identity, status: undefined, owner: undefined }],
        totalItems: 1,
      }),
    });
    await renderWithApis(<SecurityPage />, {
      nhiApi,
      path: '/?tab=identities',
    });
    expect(await screen.findByText('no owner')).toBeInTheDocument();
  });

  it('exports evidence from the header and lists it on the Evidence tab', async () => {
    const { nhiApi } = await renderWithApis(<SecurityPage />, {
      path: '/?tab=evidence',
    });
    expect(
      await screen.findByText(evidenceExport.packageHash),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Evidence' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(nhiApi.listEvidenceExports).toHaveBeenCalledTimes(1);

    await userEvent.click(
      screen.getByRole('button', { name: 'Export evidence' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Export evidence',
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Export' }),
    );
    expect(
      await within(dialog).findByText(`Downloaded ${evidenceFilename}`),
    ).toBeInTheDocument();
    expect(downloads.filenames).toEqual([evidenceFilename]);
    await waitFor(() =>
      expect(nhiApi.listEvidenceExports).toHaveBeenCalledTimes(2),
    );
  });

  it('offers the export on every tab', async () => {
    await renderWithApis(<SecurityPage />, { path: '/?tab=queues' });
    expect(
      await screen.findByRole('button', { name: 'Export evidence' }),
    ).toBeInTheDocument();
  });
});
