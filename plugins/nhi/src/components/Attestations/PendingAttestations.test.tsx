import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PendingAttestations } from './PendingAttestations';
import {
  dbWriterItem,
  fakeNhiApi,
  handedOverItem,
  renderWithApis,
  refusing,
  stripeKeyItem,
} from './__testUtils__/fixtures';

/** The row of an identity in the table. */
const row = (name: string) =>
  screen.getByRole('link', { name }).closest('tr') as HTMLElement;

const dialog = () => screen.getByRole('dialog');

jest.setTimeout(30_000);

describe('PendingAttestations', () => {
  it('shows progress while loading', async () => {
    const nhiApi = fakeNhiApi({
      listMyReviewItems: jest.fn(() => new Promise(() => {})),
    });
    await renderWithApis(<PendingAttestations />, { nhiApi });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('renders nothing when there is nothing to review', async () => {
    const nhiApi = fakeNhiApi({
      listMyReviewItems: jest
        .fn()
        .mockResolvedValue({ items: [], totalItems: 0 }),
    });
    const { container } = await renderWithApis(<PendingAttestations />, {
      nhiApi,
    });
    await waitFor(() =>
      expect(screen.queryByTestId('progress')).not.toBeInTheDocument(),
    );
    expect(nhiApi.listMyReviewItems).toHaveBeenCalledWith({ limit: 500 });
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(container.textContent).toBe('');
  });

  it('shows the empty state it is given when there is nothing to review', async () => {
    const nhiApi = fakeNhiApi({
      listMyReviewItems: jest
        .fn()
        .mockResolvedValue({ items: [], totalItems: 0 }),
    });
    await renderWithApis(
      <PendingAttestations emptyState={<p>Nothing to review</p>} />,
      { nhiApi },
    );
    expect(await screen.findByText('Nothing to review')).toBeInTheDocument();
  });

  it('renders nothing for identities without pending items', async () => {
    await renderWithApis(
      <PendingAttestations
        identityRefs={['machineidentity:default/something-else']}
      />,
    );
    await waitFor(() =>
      expect(screen.queryByTestId('progress')).not.toBeInTheDocument(),
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows the error when the items cannot be loaded', async () => {
    const nhiApi = fakeNhiApi({
      listMyReviewItems: jest.fn().mockRejectedValue(new Error('boom')),
    });
    await renderWithApis(<PendingAttestations />, { nhiApi });
    expect(
      await screen.findByText(/Could not load pending attestations/),
    ).toBeInTheDocument();
    expect(screen.getByText(/boom/)).toBeInTheDocument();
  });

  it('shows a short note on 403, and nothing when embedded', async () => {
    const refused = () =>
      fakeNhiApi({
        listMyReviewItems: refusing(403, 'Only people have review items'),
      });
    const page = await renderWithApis(<PendingAttestations />, {
      nhiApi: refused(),
    });
    expect(
      await screen.findByText(/Attestations are given by signed-in people/),
    ).toBeInTheDocument();
    page.unmount();

    const embedded = await renderWithApis(
      <PendingAttestations identityRefs={[dbWriterItem.identity]} />,
      { nhiApi: refused() },
    );
    await waitFor(() =>
      expect(screen.queryByTestId('progress')).not.toBeInTheDocument(),
    );
    expect(embedded.container.textContent).toBe('');
  });

  it('lists the items with campaign, due date, state and snapshot', async () => {
    await renderWithApis(<PendingAttestations title="My attestations" />);

    expect(await screen.findByText('My attestations')).toBeInTheDocument();
    const writer = row('payments-db-writer');
    expect(within(writer).getAllByText('2026-Q4').length).toBeGreaterThan(0);
    expect(within(writer).getByText('pending')).toBeInTheDocument();
    expect(
      within(writer).getByText('rds:payments:write, rds:payments:read'),
    ).toBeInTheDocument();
    expect(within(writer).getByText('Rotation overdue')).toBeInTheDocument();
    expect(within(writer).queryByText(/\(overdue\)/)).not.toBeInTheDocument();

    const stripe = row('stripe-api-key');
    expect(within(stripe).getByText(/\(overdue\)/)).toHaveAttribute(
      'data-overdue',
      'true',
    );
    expect(
      within(stripe).getByText('Admin or wildcard scope'),
    ).toBeInTheDocument();
    expect(within(stripe).getByText('new')).toBeInTheDocument();
    for (const label of [
      'Certify',
      'Reduce scope',
      'Revoke',
      'Reassign',
      'Escalate',
    ]) {
      expect(
        within(stripe).getByRole('button', { name: label }),
      ).toBeInTheDocument();
    }
  });

  it('keeps only the items of the given identities', async () => {
    await renderWithApis(
      <PendingAttestations identityRefs={[stripeKeyItem.identity]} />,
    );
    expect(
      await screen.findByRole('link', { name: 'stripe-api-key' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'payments-db-writer' }),
    ).not.toBeInTheDocument();
  });

  it('certifies one item after showing its snapshot and asking for a justification', async () => {
    const user = userEvent.setup();
    const { nhiApi, alertApi } = await renderWithApis(<PendingAttestations />);

    await screen.findByRole('link', { name: 'payments-db-writer' });
    await user.click(
      within(row('payments-db-writer')).getByRole('button', {
        name: 'Certify',
      }),
    );

    const d = dialog();
    // What is being certified, before confirming.
    expect(
      within(d).getByText('Settlement writes to the payments database'),
    ).toBeInTheDocument();
    expect(within(d).getByText('rds:payments:write')).toBeInTheDocument();
    expect(
      within(d).getByText('Rotation overdue (medium)'),
    ).toBeInTheDocument();
    expect(within(d).getByText('Backup owner')).toBeInTheDocument();

    const confirm = within(d).getByRole('button', { name: 'Confirm' });
    expect(confirm).toBeDisabled();
    await user.type(
      within(d).getByRole('textbox', { name: 'Justification' }),
      '   ',
    );
    expect(confirm).toBeDisabled();
    await user.type(
      within(d).getByRole('textbox', { name: 'Justification' }),
      'Still used by settlement',
    );
    expect(confirm).toBeEnabled();
    await user.click(confirm);

    await waitFor(() => expect(nhiApi.decide).toHaveBeenCalledTimes(1));
    expect(nhiApi.decide).toHaveBeenCalledWith('item-1', {
      decision: 'certify',
      justification: 'Still used by settlement',
    });
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ severity: 'success' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    await waitFor(() =>
      expect(nhiApi.listMyReviewItems).toHaveBeenCalledTimes(2),
    );
  });

  it('requires an acknowledgement to certify with an open high finding', async () => {
    const user = userEvent.setup();
    const { nhiApi } = await renderWithApis(<PendingAttestations />);

    await screen.findByRole('link', { name: 'stripe-api-key' });
    await user.click(
      within(row('stripe-api-key')).getByRole('button', { name: 'Certify' }),
    );
    const d = dialog();
    expect(
      within(d).getByText('Admin or wildcard scope (high)'),
    ).toBeInTheDocument();
    await user.type(
      within(d).getByRole('textbox', { name: 'Justification' }),
      'Needed for checkout',
    );
    const confirm = within(d).getByRole('button', { name: 'Confirm' });
    expect(confirm).toBeDisabled();

    await user.type(
      within(d).getByRole('textbox', {
        name: 'Acknowledge: Admin or wildcard scope (high)',
      }),
      'No narrower key',
    );
    expect(confirm).toBeEnabled();
    await user.click(confirm);

    await waitFor(() =>
      expect(nhiApi.decide).toHaveBeenCalledWith('item-2', {
        decision: 'certify',
        justification: 'Needed for checkout',
        acknowledgements: {
          overprivileged: 'No narrower key',
        },
      }),
    );
  });

  it('sends the scopes picked for removal', async () => {
    const user = userEvent.setup();
    const { nhiApi } = await renderWithApis(<PendingAttestations />);

    await screen.findByRole('link', { name: 'payments-db-writer' });
    await user.click(
      within(row('payments-db-writer')).getByRole('button', {
        name: 'Reduce scope',
      }),
    );
    const d = dialog();
    await user.type(
      within(d).getByRole('textbox', { name: 'Justification' }),
      'Reads only now',
    );
    const confirm = within(d).getByRole('button', { name: 'Confirm' });
    expect(confirm).toBeDisabled();
    await user.click(
      within(d).getByRole('checkbox', { name: 'rds:payments:write' }),
    );
    expect(confirm).toBeEnabled();
    await user.click(confirm);

    await waitFor(() =>
      expect(nhiApi.decide).toHaveBeenCalledWith('item-1', {
        decision: 'reduce-scope',
        justification: 'Reads only now',
        scopesToRemove: ['rds:payments:write'],
      }),
    );
  });

  it('decides the selected rows at once with one justification', async () => {
    const user = userEvent.setup();
    const { nhiApi } = await renderWithApis(<PendingAttestations />);

    await screen.findByRole('link', { name: 'payments-db-writer' });
    expect(screen.queryByTestId('bulk-actions')).not.toBeInTheDocument();
    await user.click(
      screen.getByRole('checkbox', { name: 'Select payments-db-writer' }),
    );
    await user.click(
      screen.getByRole('checkbox', { name: 'Select stripe-api-key' }),
    );
    const bar = screen.getByRole('toolbar', { name: 'Bulk decision' });
    expect(within(bar).getByText(/2 selected/)).toBeInTheDocument();
    await user.click(within(bar).getByRole('button', { name: 'Revoke' }));

    const d = dialog();
    expect(within(d).getByTestId('bulk-item-item-1')).toBeInTheDocument();
    expect(within(d).getByTestId('bulk-item-item-2')).toBeInTheDocument();
    await user.type(
      within(d).getByRole('textbox', { name: 'Justification' }),
      'Checkout moved to the new provider',
    );
    await user.click(within(d).getByRole('button', { name: 'Confirm' }));

    await waitFor(() => expect(nhiApi.decideBulk).toHaveBeenCalledTimes(1));
    expect(nhiApi.decideBulk).toHaveBeenCalledWith({
      justification: 'Checkout moved to the new provider',
      decisions: [
        { itemId: 'item-1', decision: 'revoke' },
        { itemId: 'item-2', decision: 'revoke' },
      ],
    });
    expect(nhiApi.decide).not.toHaveBeenCalled();
  });

  it('shows the server refusal in the dialog and keeps it open', async () => {
    const user = userEvent.setup();
    const nhiApi = fakeNhiApi({
      decide: refusing(
        409,
        'Campaign 2026-Q4 is closed: decisions can only be made or changed while it is open',
      ),
    });
    const { alertApi } = await renderWithApis(<PendingAttestations />, {
      nhiApi,
    });

    await screen.findByRole('link', { name: 'payments-db-writer' });
    await user.click(
      within(row('payments-db-writer')).getByRole('button', {
        name: 'Escalate',
      }),
    );
    const d = dialog();
    await user.type(
      within(d).getByRole('textbox', { name: 'Justification' }),
      'Unsure who uses it',
    );
    await user.click(within(d).getByRole('button', { name: 'Confirm' }));

    expect(await within(d).findByRole('alert')).toHaveTextContent(
      'Campaign 2026-Q4 is closed: decisions can only be made or changed while it is open',
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
    expect(alertApi.post).not.toHaveBeenCalled();
    expect(nhiApi.listMyReviewItems).toHaveBeenCalledTimes(1);
  });

  it('lets the receiving group accept a reassignment', async () => {
    const user = userEvent.setup();
    const nhiApi = fakeNhiApi({
      listMyReviewItems: jest
        .fn()
        .mockResolvedValue({ items: [handedOverItem], totalItems: 1 }),
    });
    await renderWithApis(<PendingAttestations />, { nhiApi });

    await screen.findByRole('link', { name: 'invoice-signer' });
    const signer = row('invoice-signer');
    expect(
      within(signer).getByText('to group:default/payments'),
    ).toBeInTheDocument();
    expect(
      within(signer).queryByRole('button', { name: 'Certify' }),
    ).not.toBeInTheDocument();
    expect(
      within(signer).getByRole('checkbox', { name: 'Select invoice-signer' }),
    ).toBeDisabled();
    await user.click(within(signer).getByRole('button', { name: 'Accept' }));

    const d = dialog();
    const confirm = within(d).getByRole('button', { name: 'Confirm' });
    expect(confirm).toBeDisabled();
    await user.type(
      within(d).getByRole('textbox', { name: 'Justification' }),
      'We run the signer now',
    );
    await user.click(confirm);
    await waitFor(() =>
      expect(nhiApi.respondToReassignment).toHaveBeenCalledWith('item-3', {
        accept: true,
        justification: 'We run the signer now',
      }),
    );
  });
});
