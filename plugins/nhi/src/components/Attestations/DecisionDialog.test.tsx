import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DecisionDialog } from './DecisionDialog';
import { normalizeGroupRef } from './decision/decisionRules';
import {
  dbWriterItem,
  fakeNhiApi,
  refusing,
  renderWithApis,
  stripeKeyItem,
} from './__testUtils__/fixtures';

jest.setTimeout(30_000);

describe('normalizeGroupRef', () => {
  it('completes the namespace and refuses what is not a group or user ref', () => {
    expect(normalizeGroupRef('group:platform')).toBe('group:default/platform');
    expect(normalizeGroupRef(' group:ops/platform ')).toBe(
      'group:ops/platform',
    );
    expect(normalizeGroupRef('platform')).toBeUndefined();
    expect(normalizeGroupRef('component:default/x')).toBeUndefined();
  });
});

describe('DecisionDialog', () => {
  it('reassigns to a group ref, which must differ from the current one', async () => {
    const user = userEvent.setup();
    const onDecided = jest.fn();
    const { nhiApi } = await renderWithApis(
      <DecisionDialog
        open
        decision="reassign"
        items={[dbWriterItem]}
        onClose={jest.fn()}
        onDecided={onDecided}
      />,
    );
    const d = screen.getByRole('dialog');
    await user.type(
      within(d).getByRole('textbox', { name: 'Justification' }),
      'Platform runs it',
    );
    const confirm = within(d).getByRole('button', { name: 'Confirm' });
    expect(confirm).toBeDisabled();
    const to = within(d).getByRole('textbox', { name: 'Reassign to' });
    await user.type(to, 'group:payments');
    expect(confirm).toBeDisabled();
    expect(
      within(d).getByText('Reassign to another group than the current one.'),
    ).toBeInTheDocument();
    await user.clear(to);
    await user.type(to, 'group:platform');
    expect(confirm).toBeEnabled();
    await user.click(confirm);

    await waitFor(() =>
      expect(nhiApi.decide).toHaveBeenCalledWith('item-1', {
        decision: 'reassign',
        justification: 'Platform runs it',
        reassignTo: 'group:default/platform',
      }),
    );
    expect(onDecided).toHaveBeenCalledTimes(1);
  });

  it('asks one acknowledgement per serious finding in a bulk certification', async () => {
    const user = userEvent.setup();
    const { nhiApi } = await renderWithApis(
      <DecisionDialog
        open
        decision="certify"
        items={[dbWriterItem, stripeKeyItem]}
        onClose={jest.fn()}
      />,
    );
    const d = screen.getByRole('dialog');
    expect(
      within(d).getByRole('heading', { name: 'Certify: 2 identities' }),
    ).toBeInTheDocument();
    await user.type(
      within(d).getByRole('textbox', { name: 'Justification' }),
      'Quarterly review',
    );
    const confirm = within(d).getByRole('button', { name: 'Confirm' });
    expect(confirm).toBeDisabled();
    await user.type(
      within(d).getByRole('textbox', {
        name: 'Acknowledge: Admin or wildcard scope (high)',
      }),
      'Exception pending',
    );
    await user.click(confirm);

    await waitFor(() =>
      expect(nhiApi.decideBulk).toHaveBeenCalledWith({
        justification: 'Quarterly review',
        decisions: [
          { itemId: 'item-1', decision: 'certify' },
          {
            itemId: 'item-2',
            decision: 'certify',
            acknowledgements: { overprivileged: 'Exception pending' },
          },
        ],
      }),
    );
  });

  it('removes, in bulk, from each identity only the picked scopes it holds', async () => {
    const user = userEvent.setup();
    const { nhiApi } = await renderWithApis(
      <DecisionDialog
        open
        decision="reduce-scope"
        items={[dbWriterItem, stripeKeyItem]}
        onClose={jest.fn()}
      />,
    );
    const d = screen.getByRole('dialog');
    await user.type(
      within(d).getByRole('textbox', { name: 'Justification' }),
      'Least privilege',
    );
    await user.click(within(d).getByRole('checkbox', { name: '*' }));
    const confirm = within(d).getByRole('button', { name: 'Confirm' });
    // payments-db-writer holds none of the picked scopes.
    expect(confirm).toBeDisabled();
    expect(
      within(d).getByText(
        /None of the picked scopes is held by payments-db-writer/,
      ),
    ).toBeInTheDocument();
    await user.click(
      within(d).getByRole('checkbox', { name: 'rds:payments:write' }),
    );
    await user.click(confirm);

    await waitFor(() =>
      expect(nhiApi.decideBulk).toHaveBeenCalledWith({
        justification: 'Least privilege',
        decisions: [
          {
            itemId: 'item-1',
            decision: 'reduce-scope',
            scopesToRemove: ['rds:payments:write'],
          },
          { itemId: 'item-2', decision: 'reduce-scope', scopesToRemove: ['*'] },
        ],
      }),
    );
  });

  it('shows why the server refused a batch, and stays open', async () => {
    const user = userEvent.setup();
    const onClose = jest.fn();
    const nhiApi = fakeNhiApi({
      decideBulk: refusing(
        400,
        'decisions[1]: acknowledgements must explain each open high-severity finding before certifying, or an exception must cover it: secret-leaked',
      ),
    });
    await renderWithApis(
      <DecisionDialog
        open
        decision="escalate"
        items={[dbWriterItem, stripeKeyItem]}
        onClose={onClose}
      />,
      { nhiApi },
    );
    const d = screen.getByRole('dialog');
    await user.type(
      within(d).getByRole('textbox', { name: 'Justification' }),
      'Ask security',
    );
    await user.click(within(d).getByRole('button', { name: 'Confirm' }));
    expect(await within(d).findByRole('alert')).toHaveTextContent(
      /decisions\[1\]: acknowledgements must explain .* secret-leaked/,
    );
    expect(onClose).not.toHaveBeenCalled();
    expect(within(d).getByRole('button', { name: 'Confirm' })).toBeEnabled();
  });
});
