import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { ListIdentitiesResponse } from '@nhi-governance/plugin-nhi-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { NhiApi, nhiApiRef } from '../../api';
import { EntityIdentitiesContent } from './EntityIdentitiesContent';
import {
  dbWriter,
  details,
  discoveredAccount,
  forbidden,
  identity,
  stripeKey,
} from './__fixtures__/identities';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:payments' },
};

const componentRef = {
  kind: 'Component',
  namespace: 'default',
  name: 'payments-api',
};

function fakeApi(
  listEntityIdentities: jest.Mock,
  getIdentity: jest.Mock = jest.fn(),
): Pick<NhiApi, 'listEntityIdentities' | 'getIdentity'> {
  return { listEntityIdentities, getIdentity };
}

async function renderContent(api: Partial<NhiApi>, entity = component) {
  await renderInTestApp(
    <TestApiProvider apis={[[nhiApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityIdentitiesContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

const answer = (
  items = [dbWriter, stripeKey],
  totalItems = items.length,
): ListIdentitiesResponse => ({ items, totalItems });

// material-table renders slowly under jsdom; the interactive tests need more than 5 s.
jest.setTimeout(20_000);

describe('EntityIdentitiesContent', () => {
  it("lists the entity's identities from the nhi backend", async () => {
    const list = jest.fn().mockResolvedValue(answer());

    await renderContent(fakeApi(list));

    expect(
      await screen.findByText('Machine identities (2)'),
    ).toBeInTheDocument();
    expect(list).toHaveBeenCalledTimes(1);
    expect(list).toHaveBeenCalledWith(componentRef, {
      sort: 'risk',
      order: 'desc',
      limit: 100,
      offset: 0,
    });

    // Names link to the identities' catalog pages, with their purposes below.
    expect(
      screen.getByRole('link', { name: 'payments-db-writer' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/machineidentity/payments-db-writer',
    );
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

    // Type, environment and provider, privilege and scopes.
    expect(screen.getByText('service-account')).toBeInTheDocument();
    expect(screen.getByText('api-key')).toBeInTheDocument();
    expect(screen.getByText('production')).toBeInTheDocument();
    expect(screen.getByText('aws-iam')).toBeInTheDocument();
    expect(screen.getByText('write')).toBeInTheDocument();
    expect(screen.getByText('rds:payments:write')).toBeInTheDocument();
    expect(screen.getByText('charges:write')).toBeInTheDocument();

    // Rotation with age and policy, expiry; usage; review; findings.
    expect(
      screen.getByText('rotated 214 days ago, policy 90'),
    ).toBeInTheDocument();
    expect(screen.getByText('expires 2027-01-10')).toBeInTheDocument();
    expect(screen.getByText('2026-08-20 (1 d)')).toBeInTheDocument();
    expect(screen.getByText('never used')).toBeInTheDocument();
    expect(screen.getByText('overdue')).toBeInTheDocument();
    expect(screen.getByText('never reviewed')).toBeInTheDocument();
    expect(screen.getByText('Rotation overdue')).toBeInTheDocument();
    expect(screen.getByText('Never used')).toBeInTheDocument();
  });

  it('explains how to declare an identity when there is none', async () => {
    const list = jest.fn().mockResolvedValue(answer([]));

    await renderContent(fakeApi(list));

    expect(
      await screen.findByText('No machine identities yet'),
    ).toBeInTheDocument();
    const example = document.querySelector('pre')?.textContent;
    expect(example).toContain('kind: MachineIdentity');
    expect(example).toContain('usedBy: [component:default/payments-api]');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows a progress bar while the identities load', async () => {
    const list = jest.fn().mockReturnValue(new Promise(() => {}));

    await renderContent(fakeApi(list));

    expect(
      await screen.findByRole('progressbar', { name: 'Loading' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Machine identities/)).not.toBeInTheDocument();
    expect(
      screen.queryByText('No machine identities yet'),
    ).not.toBeInTheDocument();
  });

  it('shows the error when the backend fails', async () => {
    const list = jest
      .fn()
      .mockRejectedValue(new Error('nhi backend is unavailable'));

    await renderContent(fakeApi(list));

    expect(
      (await screen.findAllByText(/nhi backend is unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText(/Machine identities \(/)).not.toBeInTheDocument();
  });

  it('names the missing permission on a 403', async () => {
    const error = await ResponseError.fromResponse(forbidden());
    const list = jest.fn().mockRejectedValue(error);

    await renderContent(fakeApi(list));

    expect(
      await screen.findByText(
        /You don't have access to these machine identities/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('nhi.identity.read')).toBeInTheDocument();
    expect(
      screen.queryByText(/Request failed with 403/),
    ).not.toBeInTheDocument();
  });

  it('asks the server for the chosen status filter', async () => {
    const list = jest.fn().mockResolvedValue(answer());
    await renderContent(fakeApi(list));
    await screen.findByText('Machine identities (2)');

    list.mockResolvedValue(answer([dbWriter]));
    await userEvent.click(screen.getByRole('button', { name: /^Rotation/ }));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'overdue',
      }),
    );

    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith(componentRef, {
        rotation: ['overdue'],
        sort: 'risk',
        order: 'desc',
        limit: 100,
        offset: 0,
      }),
    );
    expect(
      await screen.findByText('Machine identities (1)'),
    ).toBeInTheDocument();
  });

  it('asks the server for the chosen finding and sort', async () => {
    const list = jest.fn().mockResolvedValue(answer());
    await renderContent(fakeApi(list));
    await screen.findByText('Machine identities (2)');

    await userEvent.click(screen.getByRole('button', { name: /^Finding/ }));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'Rotation overdue',
      }),
    );
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith(
        componentRef,
        expect.objectContaining({ finding: ['rotation-overdue'] }),
      ),
    );

    await userEvent.click(screen.getByRole('button', { name: /^Sort by/ }));
    await userEvent.click(screen.getByRole('option', { name: 'Name' }));
    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith(
        componentRef,
        expect.objectContaining({
          finding: ['rotation-overdue'],
          sort: 'name',
        }),
      ),
    );
  });

  it('says so when no identity matches the filters', async () => {
    const list = jest.fn().mockResolvedValue(answer());
    await renderContent(fakeApi(list));
    await screen.findByText('Machine identities (2)');

    list.mockResolvedValue(answer([]));
    await userEvent.click(screen.getByRole('button', { name: /^Type/ }));
    await userEvent.click(screen.getByRole('option', { name: 'ssh-key' }));
    await userEvent.keyboard('{Escape}');

    expect(
      await screen.findByText('No machine identities match these filters.'),
    ).toBeInTheDocument();
    expect(list).toHaveBeenLastCalledWith(
      componentRef,
      expect.objectContaining({ type: ['ssh-key'] }),
    );
    expect(
      screen.queryByText('No machine identities yet'),
    ).not.toBeInTheDocument();
  });

  it('pages through the server when there are more than 100', async () => {
    const page = Array.from({ length: 3 }, (_, i) => identity(`id-${i}`));
    const list = jest.fn().mockResolvedValue(answer(page, 250));
    await renderContent(fakeApi(list));

    expect(
      await screen.findByText('Machine identities (250)'),
    ).toBeInTheDocument();
    expect(screen.getByText('1-100 of 250')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith(
        componentRef,
        expect.objectContaining({ limit: 100, offset: 100 }),
      ),
    );
  });

  it('expands a row into its findings and decision history', async () => {
    const list = jest.fn().mockResolvedValue(answer([dbWriter]));
    const getIdentity = jest.fn().mockResolvedValue(details(dbWriter));
    await renderContent(fakeApi(list, getIdentity));
    await screen.findByText('Machine identities (1)');

    await userEvent.click(
      screen.getByRole('button', { name: 'Detail panel visiblity toggle' }),
    );

    expect(
      await screen.findByText(
        'The credential is older than its rotation period, so a leaked copy keeps working.',
      ),
    ).toBeInTheDocument();
    expect(getIdentity).toHaveBeenCalledWith('default', 'payments-db-writer');
    expect(
      screen.getByText('Rotate the credential and record the rotation.'),
    ).toBeInTheDocument();
    expect(screen.getByText('CC6.1')).toBeInTheDocument();
    expect(screen.getByText('PR.AA-01')).toBeInTheDocument();
    expect(screen.getByText('NHI7 Long-Lived Secrets')).toBeInTheDocument();
    expect(
      await screen.findByText('Still needed for nightly settlement'),
    ).toBeInTheDocument();
    expect(screen.getByText('Review: certify')).toBeInTheDocument();
  });

  it('marks an identity a source found, and offers the YAML to claim it', async () => {
    const list = jest
      .fn()
      .mockResolvedValue(answer([dbWriter, discoveredAccount]));
    await renderContent(fakeApi(list));
    await screen.findByText('Machine identities (2)');

    const row = screen
      .getByText('kubernetes-payments-payments-api-0123456789')
      .closest('tr')!;
    // Not in the catalog yet: no link to a catalog page that does not exist.
    expect(
      within(row).queryByRole('link', { name: /payments-api-/ }),
    ).toBeNull();
    const chip = within(row).getByTestId('discovered-chip');
    expect(chip).toHaveTextContent('Discovered');
    await userEvent.hover(chip);
    expect(
      await screen.findByText(
        'Found by discovery source k8s-example; nobody declared it in the catalog',
      ),
    ).toBeInTheDocument();
    // Declared identities get neither.
    const declared = screen.getByRole('link', { name: 'payments-db-writer' });
    expect(
      within(declared.closest('tr')!).queryByRole('button', { name: 'Claim' }),
    ).toBeNull();

    await userEvent.click(within(row).getByRole('button', { name: 'Claim' }));
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(
        'Claim kubernetes-payments-payments-api-0123456789',
      ),
    ).toBeInTheDocument();
    // The snippet's highlighter renders a moment later.
    await waitFor(() =>
      expect(dialog.textContent).toContain('kind: MachineIdentity'),
    );
    const yaml = dialog.textContent!;
    expect(yaml).toContain('owner: group:default/payments');
    expect(yaml).toContain('provider: kubernetes');
    expect(yaml).toContain(
      'externalId: "system:serviceaccount:payments:payments-api"',
    );
    expect(within(dialog).getByRole('button', { name: /copy/i })).toBeEnabled();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
