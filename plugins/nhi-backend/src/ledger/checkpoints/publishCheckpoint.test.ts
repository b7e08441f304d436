import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import type { AddressInfo } from 'net';
import { mockServices } from '@backstage/backend-test-utils';
import {
  publishCheckpoint,
  readPublishedCheckpoints,
} from './publishCheckpoint';

const checkpoint = {
  seq: 8,
  size: 7,
  hash: 'ab'.repeat(32),
  time: '2026-12-05T12:00:00.000Z',
  note: 'log\n7\nq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=\nTime: 2026-12-05T12:00:00.000Z\n\n\u2014 log AAAA\n',
};

/** A real HTTP server standing in for a log witness: it keeps what it is sent. */
async function witness(status: number) {
  const received: Array<{ type?: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', d => (body += d));
    req.on('end', () => {
      received.push({ type: req.headers['content-type'], body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${
    (server.address() as AddressInfo).port
  }/checkpoints`;
  return { url, received, close: () => server.close() };
}

describe('publishCheckpoint', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-publish-'));

  it('appends to the file, POSTs the note and notifies the recipients', async () => {
    const file = path.join(dir, 'all.jsonl');
    const server = await witness(200);
    const notifications = { send: jest.fn() };
    const logger = mockServices.logger.mock();
    try {
      for (const seq of [8, 10]) {
        await publishCheckpoint(
          { ...checkpoint, seq },
          { file, url: server.url, notify: ['group:default/security'] },
          { logger, notifications },
        );
      }
    } finally {
      server.close();
    }
    expect(await readPublishedCheckpoints(file)).toEqual([
      { line: 1, seq: 8, note: checkpoint.note },
      { line: 2, seq: 10, note: checkpoint.note },
    ]);
    expect(server.received[0]).toEqual({
      type: 'text/plain; charset=utf-8',
      body: checkpoint.note,
    });
    // Notifications are a Backstage service, mocked here; its recipients and payload are ours.
    expect(notifications.send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: ['group:default/security'] },
      payload: expect.objectContaining({
        title: 'Ledger checkpoint: entry 7 signed',
        description: checkpoint.note,
        topic: 'nhi.ledger.checkpoint',
      }),
    });
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('logs a publication that fails and still makes the others', async () => {
    const file = path.join(dir, 'after-failure.jsonl');
    const server = await witness(503);
    const logger = mockServices.logger.mock();
    try {
      await publishCheckpoint(
        checkpoint,
        { file, url: server.url, notify: [] },
        { logger },
      );
    } finally {
      server.close();
    }
    expect(logger.warn).toHaveBeenCalledWith(
      `Could not publish the ledger checkpoint of entry 7 to ${server.url}: Error: answered 503`,
    );
    expect(await readPublishedCheckpoints(file)).toHaveLength(1);
  });

  it('reads no published checkpoints before the file exists', async () => {
    expect(
      await readPublishedCheckpoints(path.join(dir, 'none.jsonl')),
    ).toEqual([]);
  });
});
