import { screen } from '@testing-library/react';
import { renderWithApis } from '../__testUtils__/securityFixtures';
import { ExportEvidenceButton } from './ExportEvidenceDialog';

// A file of its own: the permission answers are cached per module, and this one must be a no.
describe('ExportEvidenceButton', () => {
  it('is not offered to someone without nhi.evidence.export', async () => {
    await renderWithApis(
      <>
        <h1>Security</h1>
        <ExportEvidenceButton />
      </>,
      { permitted: false },
    );
    await screen.findByRole('heading', { name: 'Security' });
    // Give the permission check its answer before looking.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(
      screen.queryByRole('button', { name: 'Export evidence' }),
    ).not.toBeInTheDocument();
  });
});
