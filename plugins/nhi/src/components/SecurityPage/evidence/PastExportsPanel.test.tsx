import { screen, within } from '@testing-library/react';
import {
  evidenceExport,
  fakeNhiApi,
  renderWithApis,
  responseError,
} from '../__testUtils__/securityFixtures';
import { PastExportsPanel } from './PastExportsPanel';

describe('PastExportsPanel', () => {
  it('lists each export with its full package hash', async () => {
    const { nhiApi } = await renderWithApis(<PastExportsPanel />);
    expect(
      await screen.findByRole('heading', { name: 'Past exports' }),
    ).toBeInTheDocument();
    const hash = await screen.findByText(evidenceExport.packageHash);
    expect(hash).toHaveStyle({ fontFamily: 'monospace' });

    const row = hash.closest('tr')!;
    expect(within(row).getByText('2026-10-02 09:15 UTC')).toBeInTheDocument();
    expect(within(row).getByText('sam')).toBeInTheDocument();
    expect(row).toHaveTextContent('2026-04-01 – 2026-06-30');
    expect(
      await within(row).findByText('Campaign 2026-Q2'),
    ).toBeInTheDocument();
    expect(within(row).getByText('4811')).toBeInTheDocument();
    expect(within(row).getByText('2')).toBeInTheDocument();
    expect(nhiApi.listEvidenceExports).toHaveBeenCalledTimes(1);
  });

  it('says so when nothing has been exported', async () => {
    const nhiApi = fakeNhiApi({
      listEvidenceExports: jest.fn().mockResolvedValue({ items: [] }),
    });
    await renderWithApis(<PastExportsPanel />, { nhiApi });
    expect(
      await screen.findByText('No evidence has been exported yet'),
    ).toBeInTheDocument();
    expect(nhiApi.listCampaigns).not.toHaveBeenCalled();
  });

  it('names the permission when the list is refused', async () => {
    const nhiApi = fakeNhiApi({
      listEvidenceExports: jest
        .fn()
        .mockRejectedValue(
          responseError(403, 'Missing permission nhi.evidence.export'),
        ),
    });
    await renderWithApis(<PastExportsPanel />, { nhiApi });
    expect(
      await screen.findByText(/You cannot see the evidence exports/),
    ).toBeInTheDocument();
    expect(screen.getByText('nhi.evidence.export')).toBeVisible();
    expect(screen.queryByText('Past exports')).toBeNull();
  });
});
