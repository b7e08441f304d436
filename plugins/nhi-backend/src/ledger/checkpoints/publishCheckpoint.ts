import { promises as fs } from 'fs';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { CheckpointSettings } from './checkpointSettings';

/** A checkpoint as signed and kept in the ledger (`seq` is its own entry). */
export interface SignedCheckpoint {
  seq: number;
  size: number;
  hash: string;
  time: string;
  note: string;
}

export interface PublishDeps {
  logger: LoggerService;
  notifications?: NotificationService;
  fetch?: typeof fetch;
}

/**
 * Hands a checkpoint to places the database's writer cannot change: a file (one JSON line per
 * checkpoint, appended), a URL (the note, POSTed as text, as log witnesses take it) and
 * Backstage notifications to the configured recipients. The checkpoint is already in the
 * ledger; a publication that fails is logged and the next checkpoint tries again.
 */
export async function publishCheckpoint(
  checkpoint: SignedCheckpoint,
  publish: CheckpointSettings['publish'],
  deps: PublishDeps,
) {
  const attempts: Array<[string, () => Promise<unknown>]> = [];
  if (publish.file) {
    const line = `${JSON.stringify({
      seq: checkpoint.seq,
      note: checkpoint.note,
    })}\n`;
    attempts.push([publish.file, () => fs.appendFile(publish.file!, line)]);
  }
  if (publish.url) {
    attempts.push([
      publish.url,
      async () => {
        const res = await (deps.fetch ?? fetch)(publish.url!, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain; charset=utf-8' },
          body: checkpoint.note,
        });
        if (!res.ok) throw new Error(`answered ${res.status}`);
      },
    ]);
  }
  if (publish.notify.length && deps.notifications) {
    attempts.push([
      'notifications',
      () =>
        deps.notifications!.send({
          recipients: { type: 'entity', entityRef: publish.notify },
          payload: {
            title: `Ledger checkpoint: entry ${checkpoint.size} signed`,
            description: checkpoint.note,
            topic: 'nhi.ledger.checkpoint',
            severity: 'low',
          },
        }),
    ]);
  }
  for (const [where, attempt] of attempts) {
    try {
      await attempt();
    } catch (error) {
      deps.logger.warn(
        `Could not publish the ledger checkpoint of entry ${checkpoint.size} to ${where}: ${error}`,
      );
    }
  }
}

/** The checkpoints published to a file so far, oldest first; none when there is no file yet. */
export async function readPublishedCheckpoints(
  file: string,
): Promise<Array<{ line: number; seq?: number; note: unknown }>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text
    .split('\n')
    .map((line, i) => ({ line: i + 1, text: line }))
    .filter(l => l.text.trim())
    .map(({ line, text: json }) => {
      try {
        const value = JSON.parse(json);
        return { line, seq: value?.seq, note: value?.note };
      } catch {
        return { line, note: undefined };
      }
    });
}
