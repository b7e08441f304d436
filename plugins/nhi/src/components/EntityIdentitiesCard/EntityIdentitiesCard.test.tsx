import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { NhiApi, nhiApiRef } from '../../api';
import {
  dbWriter,
  forbidden,
  identity,
  status,
  stripeKey,
} from '../EntityIdentitiesContent/__fixtures__/identities';
import { EntityIdentitiesCard } from './EntityIdentitiesCard';

const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

async function renderCard(listEntityIdentities: jest.Mock) {
  const api: Pick<NhiApi, 'listEntityIdentities'> = { listEntityIdentities };
  await renderInTestApp(
    <TestApiProvider apis={[[nhiApiRef, api]]}>
      <EntityProvider entity={group}>
        <EntityIdentitiesCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

const count = (label: string) =>
  screen.getByRole('listitem', { name: new RegExp(`^${label}: `) }).lastChild
    ?.textContent;

// Rendering under jsdom is slow when the test suites run in parallel.
jest.setTimeout(20_000);

describe('EntityIdentitiesCard', () => {
  it('counts the identities by status', async () => {
    const healthy = identity('healthy');
    const dormantExpired = identity('old-token', {
      status: status({
        rotation: { status: 'expired', expiresAt: '2026-01-01T00:00:00Z' },
        usage: { status: 'dormant', daysSinceUse: 120 },
        findings: [
          {
            code: 'expired',
            severity: 'critical',
            title: 'Expired',
            explanation: 'x',
            remediation: 'y',
            evidence: {},
            controls: { soc2: [], nistCsf: [], owaspNhi: [] },
          },
        ],
      }),
    });
    const list = jest.fn().mockResolvedValue({
      items: [dbWriter, stripeKey, healthy, dormantExpired],
      totalItems: 4,
    });

    await renderCard(list);

    expect(await screen.findByText('Machine identities')).toBeInTheDocument();
    expect(list).toHaveBeenCalledWith(
      { kind: 'Group', namespace: 'default', name: 'payments' },
      { limit: 500 },
    );
    expect(count('Total')).toBe('4');
    // The never-used finding of stripe-api-key is excepted: it does not count.
    expect(count('Compliant')).toBe('2');
    expect(count('Rotation overdue or expired')).toBe('2');
    expect(count('Dormant or never used')).toBe('2');
    expect(count('Review overdue')).toBe('1');
    expect(count('Open high or critical findings')).toBe('2');
    expect(
      screen.getByRole('link', { name: 'View identities' }),
    ).toHaveAttribute('href', '/identities');
  });

  it('says when the counts cover only part of the identities', async () => {
    await renderCard(
      jest.fn().mockResolvedValue({ items: [dbWriter], totalItems: 800 }),
    );

    expect(
      await screen.findByText('Statuses cover the first 1 of 800 identities.'),
    ).toBeInTheDocument();
    expect(count('Total')).toBe('800');
  });

  it('points to the tab when there is no identity', async () => {
    await renderCard(jest.fn().mockResolvedValue({ items: [], totalItems: 0 }));

    expect(
      await screen.findByText(
        'No machine identities are declared for this group yet.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'How to declare one' }),
    ).toBeInTheDocument();
  });

  it('shows a progress bar while loading', async () => {
    await renderCard(jest.fn().mockReturnValue(new Promise(() => {})));

    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    await renderCard(
      jest.fn().mockRejectedValue(new Error('nhi backend is unavailable')),
    );

    expect(
      (await screen.findAllByText(/nhi backend is unavailable/)).length,
    ).toBeGreaterThan(0);
  });

  it('names the missing permission on a 403', async () => {
    const error = await ResponseError.fromResponse(forbidden());
    await renderCard(jest.fn().mockRejectedValue(error));

    expect(
      await screen.findByText(/You don't have access/),
    ).toBeInTheDocument();
    expect(screen.getByText('nhi.identity.read')).toBeInTheDocument();
  });
});
