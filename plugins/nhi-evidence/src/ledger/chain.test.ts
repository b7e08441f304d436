import { createHash } from 'crypto';
import { canonicalJson } from './canonicalJson';
import { hashEntry } from './chain';

describe('hashEntry', () => {
  it('hashes the previous hash and the canonical JSON of the whole entry, as documented', () => {
    const entry = {
      seq: 7,
      recordedAt: '2026-11-29T12:00:00.000Z',
      kind: 'status.changed',
      subject: 'machineidentity:default/payments-db-writer',
      payload: { usage: { from: 'active', to: 'dormant' }, b: [1, 'x'] },
      prevHash: 'a'.repeat(64),
    };
    // What an offline verifier computes from the spec alone.
    const expected = createHash('sha256')
      .update(entry.prevHash)
      .update(
        canonicalJson({
          seq: entry.seq,
          recordedAt: entry.recordedAt,
          kind: entry.kind,
          subject: entry.subject,
          payload: entry.payload,
        }),
      )
      .digest('hex');
    expect(hashEntry(entry)).toBe(expected);
    expect(hashEntry({ ...entry, subject: undefined })).not.toBe(expected);
  });
});
