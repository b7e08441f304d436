import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  failedSource,
  fakeNhiApi,
  healthySource,
  renderWithApis,
  responseError,
} from '../__testUtils__/securityFixtures';
import { SourceHealthPanel } from './SourceHealthPanel';

// material-table renders slowly under jsdom; the interactive tests need more than 5 s.
jest.setTimeout(20_000);

const rowOf = async (sourceId: string) =>
  within((await screen.findByText(sourceId)).closest('tr')!);

describe('SourceHealthPanel', () => {
  it('shows each source, its last run, what it read, and why a run failed', async () => {
    await renderWithApis(<SourceHealthPanel />);
    const healthy = await rowOf(healthySource.id);
    expect(healthy.getByText('read 2026-06-10 09:00 UTC')).toBeInTheDocument();
    expect(healthy.getAllByText('412')).toHaveLength(2);

    const failed = await rowOf(failedSource.id);
    expect(failed.getByText('failed 2026-06-10 09:05 UTC')).toBeInTheDocument();
    expect(failed.getByTestId('source-error')).toHaveTextContent(
      'k8s-prod: kubernetes-service-accounts $.items[40]: ends before the JSON is complete',
    );
    expect(
      failed.getByText(
        'Kept: what the last good read listed (2026-06-09 09:05 UTC)',
      ),
    ).toBeInTheDocument();
    expect(failed.getByText('37')).toBeInTheDocument();
  });

  it('says how many warnings the last read had, and shows each one by where, field and reason', async () => {
    await renderWithApis(<SourceHealthPanel />);
    const failed = await rowOf(failedSource.id);
    expect(failed.getByTestId('warning-count')).toHaveTextContent(
      'No warnings',
    );
    expect(
      failed.queryByRole('button', { name: /Show warnings/ }),
    ).not.toBeInTheDocument();

    const healthy = await rowOf(healthySource.id);
    expect(healthy.getByTestId('warning-count')).toHaveTextContent(
      '2 warnings',
    );
    await userEvent.click(
      healthy.getByRole('button', {
        name: `Show warnings of ${healthySource.id}`,
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: `Warnings of the last read of ${healthySource.id}`,
    });
    const table = within(dialog).getByRole('table', {
      name: `Warnings of ${healthySource.id}`,
    });
    const rows = within(table)
      .getAllByRole('row')
      .map(r =>
        [
          ...within(r).queryAllByRole('columnheader'),
          ...within(r).queryAllByRole('cell'),
        ].map(c => c.textContent),
      );
    expect(rows).toEqual([
      ['Where', 'Field', 'Reason'],
      ...healthySource.runs[0].warnings.map(w => [
        w.location,
        w.field,
        w.reason,
      ]),
    ]);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('says when only the first warnings are kept, and counts a read still going as not over', async () => {
    const kept = healthySource.runs[0].warnings;
    await renderWithApis(<SourceHealthPanel />, {
      nhiApi: fakeNhiApi({
        listDiscoverySources: jest.fn().mockResolvedValue({
          items: [
            {
              ...healthySource,
              runs: [
                {
                  startedAt: '2026-06-10T10:00:00.000Z',
                  status: 'running',
                  rowsRead: 0,
                  credentials: 0,
                  warningCount: 0,
                  warnings: [],
                },
                { ...healthySource.runs[0], warningCount: 250 },
              ],
            },
          ],
        }),
      }),
    });
    const row = await rowOf(healthySource.id);
    expect(row.getByTestId('warning-count')).toHaveTextContent('250 warnings');
    await userEvent.click(row.getByRole('button', { name: /Show warnings/ }));
    expect(
      await screen.findByText(/The first 2 of 250 are shown\./),
    ).toBeInTheDocument();
    expect(within(screen.getByRole('dialog')).getAllByRole('row')).toHaveLength(
      kept.length + 1,
    );
  });

  it('shows each account a connector read, and what is kept of one that failed', async () => {
    await renderWithApis(<SourceHealthPanel />, {
      nhiApi: fakeNhiApi({
        listDiscoverySources: jest.fn().mockResolvedValue({
          items: [
            {
              ...healthySource,
              id: 'aws-org',
              format: 'connector:aws-iam',
              runs: [
                {
                  ...healthySource.runs[0],
                  scopes: [
                    { scope: '111111111111', status: 'ok', credentials: 3 },
                    {
                      scope: '222222222222',
                      status: 'failed',
                      error:
                        'AccessDenied: User is not authorized to perform: sts:AssumeRole',
                      credentials: 1,
                      keptFrom: '2026-06-09T09:00:00.000Z',
                    },
                  ],
                },
              ],
            },
          ],
        }),
      }),
    });
    const row = await rowOf('aws-org');
    const accounts = within(
      row.getByRole('list', { name: 'Accounts read by aws-org' }),
    ).getAllByTestId('source-scope');
    expect(accounts.map(a => a.textContent)).toEqual([
      '111111111111: read, 3 credentials',
      '222222222222: failedAccessDenied: User is not authorized to perform: sts:AssumeRoleKept: 1 credential from 2026-06-09 09:00 UTC',
    ]);
  });

  it("puts the last good read's figures in words", async () => {
    await renderWithApis(<SourceHealthPanel />, {
      nhiApi: fakeNhiApi({
        listDiscoverySources: jest.fn().mockResolvedValue({
          items: [
            healthySource,
            {
              ...failedSource,
              id: 'cloudtrail-prod',
              summary: {
                observations: 120,
                attributed: 100,
                counted: 90,
                unattributed: 20,
                skipped: 0,
              },
            },
            {
              ...failedSource,
              id: 'trufflehog-prod',
              summary: { reports: 3, matched: 1, unmatched: 2, newFigure: 7 },
            },
          ],
        }),
      }),
    });

    const credentials = await rowOf(healthySource.id);
    for (const line of [
      '412 credentials listed',
      '380 declared identities listed',
      '30 undeclared, kept as discovered',
      '1 declared identity missing at source',
    ]) {
      expect(credentials.getByText(line)).toBeInTheDocument();
    }
    const usage = await rowOf('cloudtrail-prod');
    for (const line of [
      '120 log records read',
      '100 naming a known identity',
      '90 counted by this read',
      '20 naming no known identity',
      '0 skipped (already counted or out of range)',
    ]) {
      expect(usage.getByText(line)).toBeInTheDocument();
    }
    const leaks = await rowOf('trufflehog-prod');
    for (const line of [
      '3 leak reports',
      '1 matched to an identity',
      '2 matched to no identity',
      'newFigure: 7',
    ]) {
      expect(leaks.getByText(line)).toBeInTheDocument();
    }
  });

  it('reads a source now, shows the read in progress, then reloads', async () => {
    let finish: (answer: unknown) => void = () => {};
    const runDiscoverySource = jest.fn(
      () => new Promise(resolve => (finish = resolve)),
    );
    const onRead = jest.fn();
    const { nhiApi } = await renderWithApis(
      <SourceHealthPanel onRead={onRead} />,
      { nhiApi: fakeNhiApi({ runDiscoverySource }) },
    );

    const row = await rowOf(healthySource.id);
    await userEvent.click(row.getByRole('button', { name: 'Read now' }));
    expect(runDiscoverySource).toHaveBeenCalledWith(healthySource.id);
    expect(
      (await rowOf(healthySource.id)).getByRole('button', { name: 'Reading…' }),
    ).toBeDisabled();
    expect(nhiApi.listDiscoverySources).toHaveBeenCalledTimes(1);

    finish({
      status: 'ok',
      rows: 415,
      summary: {},
      warningCount: 3,
      warnings: [],
    });
    expect(
      await (
        await rowOf(healthySource.id)
      ).findByText('Read 415 rows, 3 warnings'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(nhiApi.listDiscoverySources).toHaveBeenCalledTimes(2),
    );
    expect(onRead).toHaveBeenCalledTimes(1);
    expect(
      (await rowOf(healthySource.id)).getByRole('button', { name: 'Read now' }),
    ).toBeEnabled();
  });

  it("shows why a read failed, in the source's words", async () => {
    await renderWithApis(<SourceHealthPanel />, {
      nhiApi: fakeNhiApi({
        runDiscoverySource: jest.fn().mockResolvedValue({
          status: 'failed',
          rows: 40,
          error:
            'k8s-prod: kubernetes-service-accounts $.items[40]: ends before the JSON is complete',
        }),
      }),
    });

    const row = await rowOf(failedSource.id);
    await userEvent.click(row.getByRole('button', { name: 'Read now' }));
    expect(
      await (await rowOf(failedSource.id)).findByTestId('read-now-error'),
    ).toHaveTextContent(
      'Read failed: k8s-prod: kubernetes-service-accounts $.items[40]: ends before the JSON is complete',
    );
  });

  it("shows the server's refusal when the source is being read already", async () => {
    await renderWithApis(<SourceHealthPanel />, {
      nhiApi: fakeNhiApi({
        runDiscoverySource: jest
          .fn()
          .mockRejectedValue(
            responseError(409, 'Discovery source aws-prod is being read now'),
          ),
      }),
    });

    const row = await rowOf(healthySource.id);
    await userEvent.click(row.getByRole('button', { name: 'Read now' }));
    expect(
      await (await rowOf(healthySource.id)).findByTestId('read-now-error'),
    ).toHaveTextContent(
      'Read failed: Discovery source aws-prod is being read now',
    );
  });

  it('says how to add a source when none is configured', async () => {
    await renderWithApis(<SourceHealthPanel />, {
      nhiApi: fakeNhiApi({
        listDiscoverySources: jest.fn().mockResolvedValue({ items: [] }),
      }),
    });
    expect(
      await screen.findByText(
        'No discovery source is configured: add one under nhi.discovery.sources',
      ),
    ).toBeInTheDocument();
  });
});
