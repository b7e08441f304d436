import { screen } from '@testing-library/react';
import { MyAttestationsCard } from './MyAttestationsCard';
import {
  dbWriterItem,
  fakeNhiApi,
  refusing,
  renderWithApis,
  stripeKeyItem,
} from '../Attestations/__testUtils__/fixtures';

describe('MyAttestationsCard', () => {
  it('shows progress while loading', async () => {
    const nhiApi = fakeNhiApi({
      listMyReviewItems: jest.fn(() => new Promise(() => {})),
    });
    await renderWithApis(<MyAttestationsCard />, { nhiApi });
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says when there is nothing to review', async () => {
    const nhiApi = fakeNhiApi({
      listMyReviewItems: jest
        .fn()
        .mockResolvedValue({ items: [], totalItems: 0 }),
    });
    await renderWithApis(<MyAttestationsCard />, { nhiApi });
    expect(await screen.findByText('Nothing to review.')).toBeInTheDocument();
  });

  it('counts the pending items and shows the nearest due date', async () => {
    const nhiApi = fakeNhiApi({
      listMyReviewItems: jest.fn().mockResolvedValue({
        items: [dbWriterItem, stripeKeyItem],
        totalItems: 2,
      }),
    });
    await renderWithApis(<MyAttestationsCard />, { nhiApi });
    expect(await screen.findByTestId('attestations-count')).toHaveTextContent(
      '2',
    );
    expect(screen.getByTestId('attestations-next-due')).toHaveTextContent(
      `Next due ${stripeKeyItem.dueAt.slice(
        0,
        10,
      )} (campaign 2026-Q4), 1 overdue`,
    );
    expect(screen.getByRole('link', { name: 'Review now' })).toHaveAttribute(
      'href',
      '/machine-identities/attestations',
    );
  });

  it('explains an error', async () => {
    const nhiApi = fakeNhiApi({
      listMyReviewItems: refusing(500, 'database is down'),
    });
    await renderWithApis(<MyAttestationsCard />, { nhiApi });
    expect(
      await screen.findByText(
        /Could not load your attestations: database is down/,
      ),
    ).toBeInTheDocument();
  });
});
