import { generateKeyPairSync } from 'crypto';
import { readKey } from './signedNote';
import { readCheckpoint, signCheckpoint, verifyCheckpoint } from './checkpoint';

// Origin: sigsum-go, pkg/checkpoint/checkpoint_test.go (TestGoSumDBCheckpoint): a checkpoint
// "retrieved from https://sum.golang.org/latest, 2024-09-23", and the checksum database's
// verifier key from golang/go src/cmd/go/internal/modfetch/key.go.
const SUMDB_CHECKPOINT = `go.sum database tree
30055305
mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=

\u2014 sum.golang.org Az3grpgEild5qw7+5dtV13Kf1C2Xurm8q4fhdxvcsDHnqNTaxL2AFjBY+2TyGKevucFcAAlWFJJYle3EJlDCrQ+y3A8=
`;
const SUMDB_KEY =
  'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8';

const HEAD = 'ab'.repeat(32);

describe('ledger checkpoints', () => {
  it("verifies Go's checksum database checkpoint with its published key", () => {
    expect(verifyCheckpoint(SUMDB_CHECKPOINT, readKey(SUMDB_KEY))).toEqual({
      origin: 'go.sum database tree',
      size: 30055305,
      hash: Buffer.from(
        'mXfgRcJ0bG0j3CPdKwgGWtUzBUbX67saZGRmFuJGGsM=',
        'base64',
      ).toString('hex'),
    });
    expect(
      verifyCheckpoint(
        SUMDB_CHECKPOINT.replace('30055305', '30055306'),
        readKey(SUMDB_KEY),
      ),
    ).toEqual({ problem: 'its signature does not match its text' });
  });

  it('signs origin, size, head hash and time, and reads them back', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const checkpoint = {
      origin: 'portal.example.com/nhi-ledger',
      size: 42,
      hash: HEAD,
      time: '2026-12-05T13:00:00.000Z',
    };
    const note = signCheckpoint(
      checkpoint,
      'portal.example.com/nhi-ledger',
      privateKey,
    );
    expect(note).toBe(
      `portal.example.com/nhi-ledger\n42\n${Buffer.from(HEAD, 'hex').toString(
        'base64',
      )}\nTime: 2026-12-05T13:00:00.000Z\n\n\u2014 portal.example.com/nhi-ledger ${note
        .split(' ')
        .pop()!
        .trim()}\n`,
    );
    expect(verifyCheckpoint(note, publicKey)).toEqual(checkpoint);
    expect(readCheckpoint(note)).toEqual(checkpoint);
  });

  it('refuses a rewritten head hash, size or time: the signature no longer covers it', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const note = signCheckpoint(
      { origin: 'log', size: 7, hash: HEAD, time: '2026-12-05T13:00:00.000Z' },
      'log',
      privateKey,
    );
    const other = Buffer.from('cd'.repeat(32), 'hex').toString('base64');
    for (const forged of [
      note.replace(Buffer.from(HEAD, 'hex').toString('base64'), other),
      note.replace('\n7\n', '\n8\n'),
      note.replace('13:00', '14:00'),
    ]) {
      expect(verifyCheckpoint(forged, publicKey)).toEqual({
        problem: 'its signature does not match its text',
      });
    }
  });

  it('names what is wrong with a malformed checkpoint', () => {
    expect(readCheckpoint('log\n7\n')).toEqual({
      problem: 'is not a signed note (text, a blank line, signatures)',
    });
    expect(readCheckpoint('log\nseven\nAAAA\n\n\u2014 log AAAAAAAA\n')).toEqual(
      { problem: 'size "seven" is not a whole number' },
    );
    expect(readCheckpoint('log\n7\nAAAA\n\n\u2014 log AAAAAAAA\n')).toEqual({
      problem: 'its head hash is not 32 bytes in base64',
    });
    expect(readCheckpoint('log\n7\nAAAA\n\n- log AAAAAAAA\n')).toEqual({
      problem: 'signature line "- log AAAAAAAA" is not "— <key name> <base64>"',
    });
  });
});
