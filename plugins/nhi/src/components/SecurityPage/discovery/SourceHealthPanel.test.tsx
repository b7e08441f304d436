import { screen, within } from '@testing-library/react';
import {
  failedSource,
  fakeNhiApi,
  healthySource,
  renderWithApis,
} from '../__testUtils__/securityFixtures';
import { SourceHealthPanel } from './SourceHealthPanel';

describe('SourceHealthPanel', () => {
  it('shows each source, its last run, what it read, and why a run failed', async () => {
    await renderWithApis(<SourceHealthPanel />);
    const healthy = (await screen.findByText(healthySource.id)).closest('tr')!;
    expect(
      within(healthy).getByText('read 2026-06-10 09:00 UTC'),
    ).toBeInTheDocument();
    expect(within(healthy).getAllByText('412')).toHaveLength(2);

    const failed = screen.getByText(failedSource.id).closest('tr')!;
    expect(
      within(failed).getByText('failed 2026-06-10 09:05 UTC'),
    ).toBeInTheDocument();
    expect(within(failed).getByTestId('source-error')).toHaveTextContent(
      'k8s-prod: kubernetes-service-accounts $.items[40]: ends before the JSON is complete',
    );
    expect(
      within(failed).getByText(
        'Kept: what the last good read listed (2026-06-09 09:05 UTC)',
      ),
    ).toBeInTheDocument();
    expect(within(failed).getByText('37')).toBeInTheDocument();
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
