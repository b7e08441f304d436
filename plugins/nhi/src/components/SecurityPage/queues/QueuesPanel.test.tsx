import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueuesPanel } from './QueuesPanel';
import {
  fakeNhiApi,
  fill,
  renderWithApis,
  responseError,
} from '../__testUtils__/securityFixtures';

jest.setTimeout(20_000);

describe('QueuesPanel', () => {
  it('says when both queues are empty', async () => {
    const nhiApi = fakeNhiApi({
      listExceptions: jest.fn().mockResolvedValue({ items: [] }),
      getApprovalQueue: jest
        .fn()
        .mockResolvedValue({ items: [], totalItems: 0 }),
    });
    await renderWithApis(<QueuesPanel />, { nhiApi });
    expect(
      await screen.findByText('No pending exception requests'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No new identities waiting for approval'),
    ).toBeInTheDocument();
    expect(nhiApi.listExceptions).toHaveBeenCalledWith({
      status: ['pending'],
    });
  });

  it('shows a pending exception request in full', async () => {
    await renderWithApis(<QueuesPanel />);
    expect(
      await screen.findByText('The vendor rotates it only once a year'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('IP allow-list and alerting on use'),
    ).toBeInTheDocument();
    expect(screen.getByText('Rotation overdue')).toBeInTheDocument();
    expect(screen.getByText('2026-12-31')).toBeInTheDocument();
  });

  it('approves an exception with a reason', async () => {
    const { nhiApi, alertApi } = await renderWithApis(<QueuesPanel />);
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Approve the exception for payments-db-writer',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    const approve = within(dialog).getByRole('button', { name: 'Approve' });
    expect(approve).toBeDisabled();
    fill(
      within(dialog).getByLabelText(/Reason/),
      'Compensating controls verified',
    );
    await userEvent.click(approve);
    await waitFor(() =>
      expect(nhiApi.decideException).toHaveBeenCalledWith(
        'ex-1',
        true,
        'Compensating controls verified',
      ),
    );
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Exception for payments-db-writer approved',
      }),
    );
    await waitFor(() => expect(nhiApi.listExceptions).toHaveBeenCalledTimes(2));
  });

  it("shows the server's refusal, e.g. approving one's own request", async () => {
    const nhiApi = fakeNhiApi({
      decideException: jest
        .fn()
        .mockRejectedValue(
          responseError(403, 'You cannot decide on your own exception request'),
        ),
    });
    await renderWithApis(<QueuesPanel />, { nhiApi });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Reject the exception for payments-db-writer',
      }),
    );
    const dialog = await screen.findByRole('dialog');
    fill(within(dialog).getByLabelText(/Reason/), 'No');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Reject' }),
    );
    expect(
      await within(dialog).findByText(
        'You cannot decide on your own exception request',
      ),
    ).toBeInTheDocument();
    expect(nhiApi.decideException).toHaveBeenCalledWith('ex-1', false, 'No');
  });

  it('approves a new identity with a ticket and a reason', async () => {
    const { nhiApi } = await renderWithApis(<QueuesPanel />);
    expect(await screen.findByText('Deploys from CI')).toBeInTheDocument();
    expect(nhiApi.getApprovalQueue).toHaveBeenCalledWith({
      limit: 10,
      offset: 0,
    });
    await userEvent.click(
      screen.getByRole('button', { name: 'Approve new-ci-token' }),
    );
    const dialog = await screen.findByRole('dialog');
    const approve = within(dialog).getByRole('button', { name: 'Approve' });
    fill(within(dialog).getByLabelText(/Reason/), 'Reviewed');
    expect(approve).toBeDisabled();
    fill(within(dialog).getByLabelText(/Ticket/), 'SEC-42');
    await userEvent.click(approve);
    await waitFor(() =>
      expect(nhiApi.decideApproval).toHaveBeenCalledWith(
        'machineidentity:default/new-ci-token',
        { decision: 'approve', ticket: 'SEC-42', reason: 'Reviewed' },
      ),
    );
    await waitFor(() =>
      expect(nhiApi.getApprovalQueue).toHaveBeenCalledTimes(2),
    );
  });

  it('sends a new identity back with a reason', async () => {
    const { nhiApi } = await renderWithApis(<QueuesPanel />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Send back new-ci-token' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).queryByLabelText(/Ticket/)).not.toBeInTheDocument();
    fill(within(dialog).getByLabelText(/Reason/), 'Scope too wide');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Send back' }),
    );
    await waitFor(() =>
      expect(nhiApi.decideApproval).toHaveBeenCalledWith(
        'machineidentity:default/new-ci-token',
        { decision: 'send-back', reason: 'Scope too wide' },
      ),
    );
  });
});
