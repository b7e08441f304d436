import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CampaignsPanel } from './CampaignsPanel';
import { parseOwnerScope, startCampaignInput } from './campaigns';
import {
  closedCampaign,
  fakeNhiApi,
  fill,
  openCampaign,
  renderWithApis,
  responseError,
} from '../__testUtils__/securityFixtures';

jest.setTimeout(20_000);

describe('CampaignsPanel', () => {
  it('shows an empty state and starts a campaign with the form values', async () => {
    const nhiApi = fakeNhiApi({
      listCampaigns: jest.fn().mockResolvedValue({ items: [] }),
    });
    const onSelect = jest.fn();
    const { alertApi } = await renderWithApis(
      <CampaignsPanel onSelect={onSelect} />,
      { nhiApi },
    );
    expect(await screen.findByText('No campaigns yet')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Start campaign' }),
    );
    const dialog = await screen.findByRole('dialog');
    const period = within(dialog).getByLabelText(/Period/);
    fill(period, '2026-Q4');
    fill(
      within(dialog).getByLabelText(/Owner groups/),
      'payments, group:ops/platform',
    );
    fill(within(dialog).getByLabelText(/Due date/), '2026-12-31');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start' }),
    );

    await waitFor(() =>
      expect(nhiApi.startCampaign).toHaveBeenCalledWith({
        period: '2026-Q4',
        scope: { owner: ['group:default/payments', 'group:ops/platform'] },
        dueAt: '2026-12-31T23:59:59Z',
      }),
    );
    await waitFor(() => expect(onSelect).toHaveBeenCalledWith('c-new'));
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'Campaign 2026-Q4 started' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('keeps the start dialog open with the server message on refusal', async () => {
    const nhiApi = fakeNhiApi({
      listCampaigns: jest.fn().mockResolvedValue({ items: [] }),
      startCampaign: jest
        .fn()
        .mockRejectedValue(
          responseError(403, 'Missing permission nhi.campaign.manage'),
        ),
    });
    await renderWithApis(<CampaignsPanel />, { nhiApi });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Start campaign' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Start' }),
    );
    expect(
      await within(dialog).findByText('Missing permission nhi.campaign.manage'),
    ).toBeInTheDocument();
    expect(nhiApi.startCampaign).toHaveBeenCalledWith({
      period: expect.stringMatching(/^\d{4}-Q[1-4]$/),
    });
  });

  it('lists the campaigns and shows the open one per group with its escalations', async () => {
    const { nhiApi } = await renderWithApis(<CampaignsPanel />);
    expect(await screen.findByText('Campaign 2026-Q2')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Show campaign 2026-Q1' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('40/100 (40%)').length).toBeGreaterThan(0);
    expect(nhiApi.getCampaign).toHaveBeenCalledWith('c-open');
    expect(nhiApi.listCampaignItems).toHaveBeenCalledWith('c-open', {
      state: ['escalated'],
      limit: 100,
    });
    expect(await screen.findByText('Progress per group')).toBeInTheDocument();
    expect(
      await screen.findByText('Uploads reports to the old FTP server'),
    ).toBeInTheDocument();
    expect(screen.getByText('no response by the due date')).toBeInTheDocument();
  });

  it('selects another campaign', async () => {
    const onSelect = jest.fn();
    const { nhiApi } = await renderWithApis(
      <CampaignsPanel onSelect={onSelect} />,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show campaign 2026-Q1' }),
    );
    expect(onSelect).toHaveBeenCalledWith('c-closed');
    await waitFor(() =>
      expect(nhiApi.getCampaign).toHaveBeenCalledWith('c-closed'),
    );
  });

  it('closes the open campaign after a confirmation', async () => {
    const onChanged = jest.fn();
    const { nhiApi } = await renderWithApis(
      <CampaignsPanel selectedId={openCampaign.id} onChanged={onChanged} />,
    );
    await userEvent.click(await screen.findByRole('button', { name: 'Close' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Close the campaign?');
    expect(nhiApi.changeCampaign).not.toHaveBeenCalled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(nhiApi.changeCampaign).toHaveBeenCalledWith('c-open', 'close'),
    );
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
  });

  it('cancels the open campaign after a confirmation', async () => {
    const { nhiApi } = await renderWithApis(
      <CampaignsPanel selectedId={openCampaign.id} />,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel campaign' }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel campaign' }),
    );
    await waitFor(() =>
      expect(nhiApi.changeCampaign).toHaveBeenCalledWith('c-open', 'cancel'),
    );
  });

  it('offers no close or cancel on a closed campaign', async () => {
    await renderWithApis(<CampaignsPanel selectedId={closedCampaign.id} />, {
      nhiApi: fakeNhiApi({
        getCampaign: jest
          .fn()
          .mockResolvedValue({ ...closedCampaign, byGroup: [] }),
      }),
    });
    expect(await screen.findByText('Campaign 2026-Q1')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Close' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Cancel campaign' }),
    ).not.toBeInTheDocument();
  });
});

describe('startCampaignInput', () => {
  it('leaves out an empty scope and due date', () => {
    expect(
      startCampaignInput({ period: '2026-Q4', owner: '', dueAt: '' }),
    ).toEqual({ period: '2026-Q4' });
  });

  it('completes group refs', () => {
    expect(parseOwnerScope('payments  user:default/bob')).toEqual([
      'group:default/payments',
      'user:default/bob',
    ]);
  });
});
