import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  renderWithApis,
  undeclaredKey,
} from '../__testUtils__/securityFixtures';
import { UndeclaredPanel } from './UndeclaredPanel';

describe('UndeclaredPanel', () => {
  it('lists what sources found and nobody declared, and shows the YAML to claim it', async () => {
    const { nhiApi } = await renderWithApis(<UndeclaredPanel />);
    const row = (await screen.findByText(undeclaredKey.displayName!)).closest(
      'tr',
    )!;
    expect(within(row).getByText('group:default/data')).toBeInTheDocument();
    expect(within(row).getByText('never seen')).toBeInTheDocument();
    // Only sources whose last good read listed something are asked.
    expect(nhiApi.listDiscoveredCredentials).toHaveBeenCalledWith('aws-prod', {
      undeclared: true,
      limit: 100,
    });
    expect(nhiApi.listDiscoveredCredentials).toHaveBeenCalledWith('k8s-prod', {
      undeclared: true,
      limit: 100,
    });

    await userEvent.click(within(row).getByRole('button', { name: 'Claim' }));
    const dialog = await screen.findByRole('dialog');
    // The snippet's highlighter renders a moment later.
    await waitFor(() =>
      expect(dialog.textContent).toContain('kind: MachineIdentity'),
    );
    const yaml = dialog.textContent!;
    expect(yaml).toContain('kind: MachineIdentity');
    expect(yaml).toContain('name: legacy-batch');
    expect(yaml).toContain('type: api-key');
    expect(yaml).toContain('owner: group:default/data');
    expect(yaml).toContain('provider: aws-iam');
    expect(yaml).toContain(
      'externalId: "arn:aws:iam::123456789012:user/legacy-batch"',
    );
    expect(yaml).toContain("lastRotatedAt: '2013-07-22'");
  });
});
