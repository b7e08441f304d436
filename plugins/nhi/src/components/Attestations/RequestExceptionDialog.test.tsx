import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { IdentityView } from '@nhi-governance/plugin-nhi-common';
import { RequestExceptionButton } from './RequestExceptionDialog';
import { expiryBounds, expiryProblem } from './exception/exceptionRules';
import { fakeNhiApi, refusing, renderWithApis } from './__testUtils__/fixtures';

jest.setTimeout(30_000);

const identity: IdentityView = {
  ref: 'machineidentity:default/stripe-api-key',
  type: 'api-key',
  owner: 'group:default/payments',
  usedBy: [],
  scopes: ['*'],
  privilege: 'admin',
  credential: {},
  source: 'catalog',
  firstSeenAt: '2026-01-01T00:00:00Z',
  status: {
    rotation: { status: 'overdue' },
    usage: { status: 'active' },
    review: { status: 'current' },
    risk: 70,
    findings: [
      {
        code: 'overprivileged',
        severity: 'high',
        title: 'Admin or wildcard scope',
        explanation: '',
        remediation: '',
        evidence: {},
        controls: { soc2: [], nistCsf: [], owaspNhi: [] },
      },
      {
        code: 'rotation-overdue',
        severity: 'medium',
        title: 'Rotation overdue',
        explanation: '',
        remediation: '',
        evidence: {},
        controls: { soc2: [], nistCsf: [], owaspNhi: [] },
      },
      {
        code: 'dormant',
        severity: 'medium',
        title: 'Dormant',
        explanation: '',
        remediation: '',
        evidence: {},
        controls: { soc2: [], nistCsf: [], owaspNhi: [] },
      },
    ],
  },
} as IdentityView;

describe('expiry', () => {
  const now = new Date('2026-02-28T15:00:00Z');
  it('defaults to 90 days ahead and allows at most one year', () => {
    expect(expiryBounds(now)).toEqual({
      min: '2026-03-01',
      max: '2027-02-28',
      initial: '2026-05-29',
    });
    expect(expiryProblem('2027-02-28', now)).toBeUndefined();
    expect(expiryProblem('2027-03-01', now)).toMatch(/At most one year/);
    expect(expiryProblem('2026-02-28', now)).toMatch(/after today/);
    expect(expiryProblem('', now)).toBeDefined();
  });
});

describe('RequestExceptionButton', () => {
  async function open() {
    const user = userEvent.setup();
    const result = await renderWithApis(
      <RequestExceptionButton identity={identity} />,
    );
    await user.click(screen.getByRole('button', { name: 'Request exception' }));
    return { user, ...result, dialog: screen.getByRole('dialog') };
  }

  it('offers the open exceptable findings and validates the expiry', async () => {
    const { user, dialog, nhiApi, alertApi } = await open();
    const finding = within(dialog).getByRole('combobox', { name: 'Finding' });
    const options = within(finding)
      .getAllByRole('option')
      .map(o => o.getAttribute('value'));
    expect(options).toEqual(['overprivileged', 'rotation-overdue']);

    const expires = within(dialog).getByLabelText(/Expires on/);
    expect(expires).toHaveValue(expiryBounds().initial);

    await user.selectOptions(finding, 'rotation-overdue');
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Justification' }),
      'Vendor rotates yearly',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Compensating controls' }),
      'IP allow-list',
    );
    const submit = within(dialog).getByRole('button', {
      name: 'Request exception',
    });
    expect(submit).toBeEnabled();

    const tooLate = new Date();
    tooLate.setUTCFullYear(tooLate.getUTCFullYear() + 1);
    tooLate.setUTCDate(tooLate.getUTCDate() + 2);
    fireEvent.change(expires, {
      target: { value: tooLate.toISOString().slice(0, 10) },
    });
    expect(
      within(dialog).getByText(/At most one year ahead/),
    ).toBeInTheDocument();
    expect(submit).toBeDisabled();

    const { max } = expiryBounds();
    fireEvent.change(expires, { target: { value: max } });
    expect(submit).toBeEnabled();
    await user.click(submit);

    await waitFor(() =>
      expect(nhiApi.requestException).toHaveBeenCalledWith({
        identity: 'machineidentity:default/stripe-api-key',
        finding: 'rotation-overdue',
        justification: 'Vendor rotates yearly',
        compensatingControls: 'IP allow-list',
        expiresAt: `${max}T00:00:00.000Z`,
      }),
    );
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ severity: 'success' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('offers all three findings when none is open', async () => {
    const user = userEvent.setup();
    await renderWithApis(
      <RequestExceptionButton
        identity={{
          ...identity,
          status: { ...identity.status!, findings: [] },
        }}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Request exception' }));
    const options = within(screen.getByRole('combobox', { name: 'Finding' }))
      .getAllByRole('option')
      .map(o => o.getAttribute('value'));
    expect(options).toEqual([
      'long-lived',
      'rotation-overdue',
      'overprivileged',
    ]);
  });

  it('shows the server refusal in the dialog', async () => {
    const user = userEvent.setup();
    const nhiApi = fakeNhiApi({
      requestException: refusing(
        409,
        'An exception for overprivileged on machineidentity:default/stripe-api-key is already pending (exc-1)',
      ),
    });
    await renderWithApis(<RequestExceptionButton identity={identity} />, {
      nhiApi,
    });
    await user.click(screen.getByRole('button', { name: 'Request exception' }));
    const dialog = screen.getByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Justification' }),
      'x',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Compensating controls' }),
      'y',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Request exception' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /already pending \(exc-1\)/,
    );
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });
});
