import { screen, waitFor, within } from '@testing-library/react';
import { AttestationsPage } from './AttestationsPage';
import {
  exceptionRequest,
  fakeNhiApi,
  refusing,
  renderWithApis,
} from '../Attestations/__testUtils__/fixtures';

jest.setTimeout(30_000);

describe('AttestationsPage', () => {
  it('shows progress while loading', async () => {
    const nhiApi = fakeNhiApi({
      listMyReviewItems: jest.fn(() => new Promise(() => {})),
      listExceptions: jest.fn(() => new Promise(() => {})),
    });
    await renderWithApis(<AttestationsPage />, { nhiApi });
    expect(screen.getAllByTestId('progress').length).toBeGreaterThan(0);
  });

  it('says there is nothing to review', async () => {
    const nhiApi = fakeNhiApi({
      listMyReviewItems: jest
        .fn()
        .mockResolvedValue({ items: [], totalItems: 0 }),
    });
    await renderWithApis(<AttestationsPage />, { nhiApi });
    expect(await screen.findByTestId('nothing-to-review')).toHaveTextContent(
      /Nothing to review/,
    );
    expect(
      await screen.findByText('You have not requested any exceptions.'),
    ).toBeInTheDocument();
    expect(nhiApi.listExceptions).toHaveBeenCalledWith({ mine: true });
  });

  it('lists the pending items and the exceptions asked for', async () => {
    const nhiApi = fakeNhiApi({
      listExceptions: jest.fn().mockResolvedValue({
        items: [
          exceptionRequest,
          {
            ...exceptionRequest,
            id: 'exc-2',
            finding: 'long-lived',
            status: 'pending',
            decidedBy: undefined,
            decidedAt: undefined,
            decisionReason: undefined,
          },
        ],
      }),
    });
    await renderWithApis(<AttestationsPage />, { nhiApi });

    expect(
      await screen.findByRole('heading', { name: 'Attestations' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('My attestations')).toBeInTheDocument();
    expect(
      await screen.findByRole('link', { name: 'payments-db-writer' }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('2026-Q4').length).toBeGreaterThan(0);

    expect(
      await screen.findByText('My exception requests (2)'),
    ).toBeInTheDocument();
    const approved = screen
      .getByText('Controls are adequate')
      .closest('tr') as HTMLElement;
    expect(within(approved).getByText('approved')).toBeInTheDocument();
    expect(
      within(approved).getByText('Admin or wildcard scope'),
    ).toBeInTheDocument();
    const asked = screen
      .getByText('Long-lived credential without exception')
      .closest('tr') as HTMLElement;
    expect(within(asked).getByText('pending')).toBeInTheDocument();
  });

  it('shows load errors', async () => {
    const nhiApi = fakeNhiApi({
      listMyReviewItems: refusing(500, 'database is down'),
      listExceptions: refusing(500, 'database is down'),
    });
    await renderWithApis(<AttestationsPage />, { nhiApi });
    expect(
      await screen.findByText(/Could not load pending attestations/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Could not load your exception requests/),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getAllByText(/database is down/).length).toBe(2),
    );
  });
});
