import type { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  catalogApiRef,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { MachineIdentityEntity } from '@nhi-governance/plugin-nhi-common';
import { screen } from '@testing-library/react';
import { EntityIdentitiesContent } from './EntityIdentitiesContent';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:payments' },
  relations: [
    // Unsorted on purpose: the content must request them sorted.
    { type: 'dependsOn', targetRef: 'machineidentity:default/stripe-api-key' },
    { type: 'dependsOn', targetRef: 'component:default/ledger' },
    {
      type: 'dependsOn',
      targetRef: 'machineidentity:default/payments-db-writer',
    },
  ],
};

function identity(
  name: string,
  spec: Partial<MachineIdentityEntity['spec']>,
): MachineIdentityEntity {
  return {
    apiVersion: 'nhi.backstage.io/v1alpha1',
    kind: 'MachineIdentity',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'service-account',
      owner: 'group:payments',
      purpose: 'Some purpose',
      usedBy: ['component:payments-api'],
      ...spec,
    } as MachineIdentityEntity['spec'],
  };
}

const dbWriter = identity('payments-db-writer', {
  type: 'service-account',
  owner: 'group:payments',
  purpose: 'Settlement writes to the payments database',
  environment: 'production',
  provider: 'aws-iam',
  privilege: 'write',
  scopes: ['rds:payments:write', 'rds:payments:read'],
  credential: {
    rotation: 'manual',
    lastRotatedAt: '2026-08-01',
    expiresAt: '2027-01-10',
  },
});

const stripeKey = identity('stripe-api-key', {
  type: 'api-key',
  owner: 'group:billing',
  purpose: 'Charges customer cards',
  scopes: ['charges:write'],
});

async function renderContent(entity: Entity, getEntitiesByRefs: jest.Mock) {
  const catalogApi = catalogApiMock.mock({ getEntitiesByRefs });
  await renderInTestApp(
    <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
      <EntityProvider entity={entity}>
        <EntityIdentitiesContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityIdentitiesContent', () => {
  it('lists the identities related to the entity', async () => {
    const getEntitiesByRefs = jest
      .fn()
      .mockResolvedValue({ items: [dbWriter, stripeKey] });

    await renderContent(component, getEntitiesByRefs);

    expect(
      await screen.findByText('Machine identities (2)'),
    ).toBeInTheDocument();
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: [
        'machineidentity:default/payments-db-writer',
        'machineidentity:default/stripe-api-key',
      ],
    });

    // Names link to the identities' pages, with their purposes below.
    expect(
      screen.getByRole('link', { name: 'payments-db-writer' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/machineidentity/payments-db-writer',
    );
    expect(
      screen.getByRole('link', { name: 'stripe-api-key' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Settlement writes to the payments database'),
    ).toBeInTheDocument();
    expect(screen.getByText('Charges customer cards')).toBeInTheDocument();

    // Owners link to their groups.
    expect(screen.getByRole('link', { name: 'payments' })).toHaveAttribute(
      'href',
      '/catalog/default/group/payments',
    );
    expect(screen.getByRole('link', { name: 'billing' })).toBeInTheDocument();

    // Type, environment, privilege, scopes and credential dates.
    expect(screen.getByText('service-account')).toBeInTheDocument();
    expect(screen.getByText('api-key')).toBeInTheDocument();
    expect(screen.getByText('aws-iam')).toBeInTheDocument();
    // One chip per scope.
    expect(screen.getByText('rds:payments:write')).toBeInTheDocument();
    expect(screen.getByText('rds:payments:read')).toBeInTheDocument();
    expect(screen.getByText('charges:write')).toBeInTheDocument();
    expect(screen.getByText('rotated 2026-08-01')).toBeInTheDocument();
    expect(screen.getByText('expires 2027-01-10')).toBeInTheDocument();

    expect(screen.queryByText('ledger')).not.toBeInTheDocument();
  });

  it('explains how to declare an identity when there is none', async () => {
    const getEntitiesByRefs = jest.fn();
    const lonely: Entity = {
      ...component,
      relations: [{ type: 'dependsOn', targetRef: 'component:default/ledger' }],
    };

    await renderContent(lonely, getEntitiesByRefs);

    expect(
      await screen.findByText('No machine identities yet'),
    ).toBeInTheDocument();
    const example = document.querySelector('pre')?.textContent;
    expect(example).toContain('kind: MachineIdentity');
    expect(example).toContain('usedBy: [component:default/payments-api]');
    expect(getEntitiesByRefs).not.toHaveBeenCalled();
  });

  it('shows the error when the catalog cannot be reached', async () => {
    const getEntitiesByRefs = jest
      .fn()
      .mockRejectedValue(new Error('Catalog is unavailable'));

    await renderContent(component, getEntitiesByRefs);

    expect(
      (await screen.findAllByText(/Catalog is unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText(/Machine identities/)).not.toBeInTheDocument();
  });

  it('shows a progress bar while the identities load', async () => {
    const getEntitiesByRefs = jest.fn().mockReturnValue(new Promise(() => {}));

    await renderContent(component, getEntitiesByRefs);

    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Machine identities/)).not.toBeInTheDocument();
    expect(
      screen.queryByText('No machine identities yet'),
    ).not.toBeInTheDocument();
  });

  it('skips identities that are missing from the catalog', async () => {
    const getEntitiesByRefs = jest
      .fn()
      .mockResolvedValue({ items: [undefined, stripeKey] });

    await renderContent(component, getEntitiesByRefs);

    expect(
      await screen.findByText('Machine identities (1)'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'stripe-api-key' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'payments-db-writer' }),
    ).not.toBeInTheDocument();
  });
});
