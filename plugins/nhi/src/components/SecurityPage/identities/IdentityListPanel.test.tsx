import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IdentityListPanel } from './IdentityListPanel';
import {
  fakeNhiApi,
  renderWithApis,
  responseError,
} from '../__testUtils__/securityFixtures';

describe('IdentityListPanel', () => {
  it('asks the server for one page with the filter and shows the rows', async () => {
    const nhiApi = fakeNhiApi({
      listIdentities: jest.fn().mockResolvedValue({
        items: [(await import('../__testUtils__/securityFixtures')).identity],
        totalItems: 500000,
      }),
    });
    await renderWithApis(
      <IdentityListPanel
        filter={{ finding: ['owner-missing', 'owner-orphaned'] }}
        pageSize={50}
      />,
      { nhiApi },
    );
    await waitFor(() =>
      expect(nhiApi.listIdentities).toHaveBeenCalledWith({
        finding: ['owner-missing', 'owner-orphaned'],
        sort: 'risk',
        order: 'desc',
        limit: 50,
        offset: 0,
      }),
    );
    expect(await screen.findByText('Identities (500,000)')).toBeInTheDocument();
    expect(screen.getByText('Finding: No owner')).toBeInTheDocument();
    expect(
      screen.getByText('Finding: Owner not in the catalog'),
    ).toBeInTheDocument();
    expect(screen.getByText('62')).toBeInTheDocument();
    expect(screen.getByText('service-account')).toBeInTheDocument();
  });

  it('sorts on the server', async () => {
    const { nhiApi } = await renderWithApis(<IdentityListPanel filter={{}} />);
    await screen.findByText('Settlement writes to the payments database');
    await userEvent.click(screen.getByText('Owner'));
    await waitFor(() =>
      expect(nhiApi.listIdentities).toHaveBeenLastCalledWith(
        expect.objectContaining({
          sort: 'owner',
          order: expect.stringMatching(/^(asc|desc)$/),
          offset: 0,
        }),
      ),
    );
  });

  it('removes a chip and clears the filter', async () => {
    const onFilterChange = jest.fn();
    await renderWithApis(
      <IdentityListPanel
        filter={{ rotation: ['overdue'], compliant: false }}
        onFilterChange={onFilterChange}
      />,
    );
    const chip = await screen.findByTestId('filter-chip-rotation-overdue');
    await userEvent.click(chip.querySelector('svg')!);
    expect(onFilterChange).toHaveBeenLastCalledWith({ compliant: false });
    await userEvent.click(screen.getByRole('button', { name: 'Clear all' }));
    expect(onFilterChange).toHaveBeenLastCalledWith({});
    expect(screen.getByText('Not compliant')).toBeInTheDocument();
  });

  it("shows the server's message when the list fails", async () => {
    const nhiApi = fakeNhiApi({
      listIdentities: jest
        .fn()
        .mockRejectedValue(responseError(400, 'rotation: must be one of ok')),
    });
    await renderWithApis(
      <IdentityListPanel filter={{ rotation: ['bogus'] }} />,
      { nhiApi },
    );
    expect(
      await screen.findByText(/Could not load the identities/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText('rotation: must be one of ok').length,
    ).toBeGreaterThan(0);
  });

  it('says when nothing matches', async () => {
    const nhiApi = fakeNhiApi({
      listIdentities: jest.fn().mockResolvedValue({ items: [], totalItems: 0 }),
    });
    await renderWithApis(
      <IdentityListPanel filter={{ rotation: ['expired'] }} />,
      { nhiApi },
    );
    expect(
      await screen.findByText('No identities match this filter'),
    ).toBeInTheDocument();
  });
});
