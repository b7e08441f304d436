import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  type EvidenceDownloadProgress,
  type EvidenceScope,
  nhiApiRef,
} from '../../../api';
import { errorMessage } from '../errors';

export type EvidenceDownloadState =
  | { status: 'idle' }
  | { status: 'running'; progress?: EvidenceDownloadProgress }
  | { status: 'done'; filename: string }
  | { status: 'cancelled' }
  | { status: 'failed'; error: string };

/** Hands a file to the browser's downloads, as a click on a download link would. */
export function saveFile(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked on the next turn: some browsers still read the URL after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * Downloads an evidence package with its progress, and saves it when complete. `cancel` aborts
 * the request; so does leaving the page.
 */
export function useEvidenceDownload(options: {
  onDownloaded?: (filename: string) => void;
}) {
  const nhiApi = useApi(nhiApiRef);
  const { onDownloaded } = options;
  const [state, setState] = useState<EvidenceDownloadState>({
    status: 'idle',
  });
  const controller = useRef<AbortController>();

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback(
    async (scope: EvidenceScope) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setState({ status: 'running' });
      try {
        const { blob, filename } = await nhiApi.downloadEvidencePackage(scope, {
          signal: current.signal,
          onProgress: progress => {
            if (!current.signal.aborted) {
              setState({ status: 'running', progress });
            }
          },
        });
        if (current.signal.aborted) return;
        saveFile(blob, filename);
        setState({ status: 'done', filename });
        onDownloaded?.(filename);
      } catch (e) {
        // A cancelled download has already said so.
        if (!current.signal.aborted) {
          setState({ status: 'failed', error: errorMessage(e) });
        }
      }
    },
    [nhiApi, onDownloaded],
  );

  const cancel = useCallback(() => {
    controller.current?.abort();
    setState({ status: 'cancelled' });
  }, []);

  return { state, start, cancel };
}
