import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { EvidenceDownloadProgress } from '../../../api';
import {
  evidenceFilename,
  fakeNhiApi,
  fill,
  mockFileDownloads,
  renderWithApis,
  responseError,
} from '../__testUtils__/securityFixtures';
import { ExportEvidenceButton } from './ExportEvidenceDialog';
import { lastCompleteQuarter } from './evidenceForm';

jest.setTimeout(20_000);

const downloads = mockFileDownloads();

async function openDialog(
  nhiApi = fakeNhiApi(),
  onExported: () => void = jest.fn(),
) {
  await renderWithApis(<ExportEvidenceButton onExported={onExported} />, {
    nhiApi,
  });
  await userEvent.click(
    screen.getByRole('button', { name: 'Export evidence' }),
  );
  const dialog = await screen.findByRole('dialog', { name: 'Export evidence' });
  return {
    nhiApi,
    dialog,
    from: within(dialog).getByLabelText(/^From/) as HTMLInputElement,
    to: within(dialog).getByLabelText(/^To/) as HTMLInputElement,
    exportButton: within(dialog).getByRole('button', { name: 'Export' }),
  };
}

/** A download that stays open until the test ends it, and its progress callback. */
function pendingDownload() {
  const call: {
    progress?: (p: EvidenceDownloadProgress) => void;
    signal?: AbortSignal;
    finish?: (value: { blob: Blob; filename: string }) => void;
    fail?: (error: Error) => void;
  } = {};
  const downloadEvidencePackage = jest.fn(
    (_scope, options) =>
      new Promise((resolve, reject) => {
        call.progress = options.onProgress;
        call.signal = options.signal;
        call.finish = resolve;
        call.fail = reject;
      }),
  );
  return { call, downloadEvidencePackage };
}

describe('ExportEvidenceDialog', () => {
  it('exports the last complete quarter and downloads the ZIP by its name', async () => {
    const onExported = jest.fn();
    const { nhiApi, dialog, from, to, exportButton } = await openDialog(
      undefined,
      onExported,
    );
    const quarter = lastCompleteQuarter();
    expect(from).toHaveValue(quarter.from);
    expect(to).toHaveValue(quarter.to);
    expect(within(dialog).getByRole('radio', { name: 'Dates' })).toBeChecked();
    expect(dialog).toHaveTextContent('npx nhi-evidence verify <file>.zip');

    await userEvent.click(exportButton);

    expect(
      await within(dialog).findByText(`Downloaded ${evidenceFilename}`),
    ).toBeInTheDocument();
    expect(nhiApi.downloadEvidencePackage).toHaveBeenCalledWith(
      quarter,
      expect.objectContaining({ signal: expect.any(Object) }),
    );
    expect(downloads.filenames).toEqual([evidenceFilename]);
    await waitFor(() =>
      expect(URL.revokeObjectURL).toHaveBeenCalledWith(
        'blob:http://localhost/evidence',
      ),
    );
    expect(onExported).toHaveBeenCalledTimes(1);
  });

  it('names the date field that is missing or out of order', async () => {
    const { nhiApi, dialog, from, to, exportButton } = await openDialog();

    fill(from, '');
    expect(within(dialog).getByText('From is required')).toBeInTheDocument();
    expect(exportButton).toBeDisabled();

    fill(from, '2026-09-30');
    fill(to, '2026-07-01');
    expect(
      within(dialog).getByText('To must not be before From'),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText('From is required')).toBeNull();
    expect(exportButton).toBeDisabled();

    fill(to, '2026-09-30');
    expect(within(dialog).queryByText(/must not be before/)).toBeNull();
    await userEvent.click(exportButton);
    await waitFor(() =>
      expect(nhiApi.downloadEvidencePackage).toHaveBeenCalledWith(
        { from: '2026-09-30', to: '2026-09-30' },
        expect.anything(),
      ),
    );
  });

  it('exports the campaign chosen by its period', async () => {
    const { nhiApi, dialog } = await openDialog();
    await userEvent.click(
      within(dialog).getByRole('radio', { name: 'Campaign' }),
    );

    const select = within(dialog).getByRole('combobox', { name: 'Campaign' });
    await waitFor(() => expect(select).toBeEnabled());
    expect(nhiApi.listCampaigns).toHaveBeenCalledWith(['open', 'closed']);
    expect(
      within(select)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['2026-Q2 (open)', '2026-Q1 (closed)']);
    expect(within(dialog).queryByLabelText(/^From/)).toBeNull();

    await userEvent.selectOptions(select, '2026-Q1 (closed)');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Export' }),
    );
    await waitFor(() =>
      expect(nhiApi.downloadEvidencePackage).toHaveBeenCalledWith(
        { campaign: 'c-closed' },
        expect.anything(),
      ),
    );
  });

  it('cannot export a campaign when there is none', async () => {
    const { dialog } = await openDialog(
      fakeNhiApi({ listCampaigns: jest.fn().mockResolvedValue({ items: [] }) }),
    );
    await userEvent.click(
      within(dialog).getByRole('radio', { name: 'Campaign' }),
    );
    expect(await within(dialog).findByText('No campaigns')).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Export' }),
    ).toBeDisabled();
  });

  it('shows which entry is being written, and cancels', async () => {
    const { call, downloadEvidencePackage } = pendingDownload();
    const { dialog, exportButton } = await openDialog(
      fakeNhiApi({ downloadEvidencePackage }),
    );
    await userEvent.click(exportButton);
    expect(
      await within(dialog).findByText('Waiting for the server…'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^From/)).toBeDisabled();

    call.progress!({
      receivedBytes: 12_400_000,
      entry: 'findings.csv',
      entryNumber: 6,
      totalEntries: 11,
    });
    expect(
      await within(dialog).findByText(
        'Writing findings.csv (6 of 11) · 12.4 MB received',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('progressbar', { name: 'Export progress' }),
    ).toHaveAttribute('aria-valuenow', '45');

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    expect(call.signal!.aborted).toBe(true);
    expect(within(dialog).getByText('Export cancelled')).toBeInTheDocument();
    expect(within(dialog).queryByRole('progressbar')).toBeNull();
    expect(
      within(dialog).getByRole('button', { name: 'Export' }),
    ).toBeEnabled();

    // The aborted request rejects afterwards; that is not an error to show.
    call.fail!(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    await new Promise(r => setTimeout(r, 0));
    expect(within(dialog).queryByRole('alert')).toBeNull();
    expect(downloads.filenames).toEqual([]);
  });

  it("shows the server's refusal and keeps what was entered", async () => {
    const nhiApi = fakeNhiApi({
      downloadEvidencePackage: jest
        .fn()
        .mockRejectedValue(
          responseError(400, 'query.to must be a date such as 2026-10-01'),
        ),
    });
    const onExported = jest.fn();
    const { dialog, from, to, exportButton } = await openDialog(
      nhiApi,
      onExported,
    );
    fill(from, '2026-01-01');
    fill(to, '2026-03-31');
    await userEvent.click(exportButton);

    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'query.to must be a date such as 2026-10-01',
    );
    expect(from).toHaveValue('2026-01-01');
    expect(to).toHaveValue('2026-03-31');
    expect(exportButton).toBeEnabled();
    expect(downloads.filenames).toEqual([]);
    expect(onExported).not.toHaveBeenCalled();
  });

  it('closes with Close', async () => {
    const { dialog } = await openDialog();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });
});
