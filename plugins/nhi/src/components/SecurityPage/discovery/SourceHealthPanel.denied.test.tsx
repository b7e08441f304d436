import { screen } from '@testing-library/react';
import {
  healthySource,
  renderWithApis,
} from '../__testUtils__/securityFixtures';
import { SourceHealthPanel } from './SourceHealthPanel';

// A file of its own: the permission answers are cached per module, and this one must be a no.
describe('SourceHealthPanel without nhi.discovery.run', () => {
  it('shows the sources but offers no Read now', async () => {
    const { nhiApi } = await renderWithApis(<SourceHealthPanel />, {
      permitted: false,
    });
    await screen.findByText(healthySource.id);
    // Give the permission check its answer before looking.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(
      screen.queryByRole('button', { name: 'Read now' }),
    ).not.toBeInTheDocument();
    expect(nhiApi.runDiscoverySource).not.toHaveBeenCalled();
  });
});
