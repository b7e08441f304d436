import { publicKeyFingerprint } from './ledger/signedNote';
import type { LedgerEntry } from './ledger/types';
import { verifyPackage } from './verifyPackage';
import {
  ORIGIN,
  checkpointDraft,
  checkpointedPackage,
  draftsOf,
  noteOf,
  rewrite,
  signingKey,
  withCheckpoint,
  zipped,
} from './__testUtils__/checkpointPackage';
import {
  Draft,
  DraftAfter,
  chainOf,
  signed,
} from './__testUtils__/testPackage';

const { privateKey, publicKey } = signingKey();
const FINGERPRINT = publicKeyFingerprint(publicKey);
const SIGNED_AT = '2026-12-31T12:00:00.000Z';

const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/** The note with its head hash line replaced: the text changes, the signature stays. */
const forged = (note: string, from: string, to: string) =>
  note.replace(`\n${b64(from)}\n`, `\n${b64(to)}\n`);

const hashOf = (ledger: LedgerEntry[], seq: number) =>
  ledger.find(e => e.seq === seq)!.hash;

describe('signed checkpoints in an evidence package', () => {
  it('passes a package whose checkpoints sign its chain, with and without the key', async () => {
    const p = checkpointedPackage(privateKey);
    // Entries 2 (the anchor), 5 and 9 sign entries 1, 4 and 8; the manifest signs the head, 11.
    expect(p.ledger.filter(e => e.kind === 'ledger.checkpoint')).toHaveLength(
      3,
    );
    const without = await verifyPackage(await zipped(p));
    expect(without).toMatchObject({
      ok: true,
      summary: { ledgerLastSeq: 11, checkpoints: { count: 4, lastSize: 11 } },
    });
    const summary = without.ok ? without.summary : undefined;
    expect(summary?.checkpoints.signaturesVerifiedWith).toBeUndefined();
    expect(summary?.notChecked).toEqual(
      expect.arrayContaining(
        ['ledger.jsonl', 'manifest.json'].map(file => ({
          file,
          columns: ['checkpoint signatures'],
          why: 'pass --public-key to check who signed the checkpoints',
        })),
      ),
    );

    const withKey = await verifyPackage(await zipped(p), { publicKey });
    expect(withKey).toMatchObject({
      ok: true,
      summary: {
        checkpoints: {
          count: 4,
          lastSize: 11,
          signaturesVerifiedWith: FINGERPRINT,
        },
      },
    });
    const notChecked = withKey.ok ? withKey.summary.notChecked : [];
    expect(notChecked.map(n => n.columns)).not.toContainEqual([
      'checkpoint signatures',
    ]);
  });

  it('fails a ledger rewritten before a checkpoint, every hash recomputed; a forged checkpoint fails only with the key', async () => {
    const p = checkpointedPackage(privateKey);
    const signedHead = p.manifest.checkpoint.note;
    const old = [...p.ledger];
    // Entry 3 (review decision version 1) says something else in the ledger and in the CSV
    // file alike; every later hash and link is recomputed, the checkpoint entries' too.
    const drafts = draftsOf(p.ledger);
    const first = drafts.find(d => d.payload.justification === 'First')!;
    first.payload = { ...first.payload, justification: 'Rewritten' };
    p.files.set(
      'access-reviews.csv',
      p.files
        .get('access-reviews.csv')!
        .replace(
          '""justification"":""First""',
          '""justification"":""Rewritten""',
        ),
    );
    const manifest = rewrite(p, chainOf(drafts));
    p.manifest = signed({ ...manifest, checkpoint: p.manifest.checkpoint });
    const rewritten = [...p.ledger];
    expect(hashOf(rewritten, 4)).not.toBe(hashOf(old, 4));

    const failures = (seqOrManifest: number | 'manifest', size: number) => {
      const reason = (claims: string, has: string, at = '') =>
        seqOrManifest === 'manifest'
          ? `the checkpoint signed at ${SIGNED_AT} signs entry ${size} with hash ${claims}, but ledgerHead is entry ${size} with hash ${has}: the manifest's head is not the one signed at export`
          : `entry ${seqOrManifest}: the checkpoint signed at ${at} says entry ${size} has hash ${claims}, the ledger has ${has}: the ledger up to entry ${size} was rewritten after the checkpoint was signed`;
      return { reason };
    };
    const tampered = await verifyPackage(await zipped(p));
    expect(tampered).toEqual({
      ok: false,
      failures: [
        {
          file: 'manifest.json',
          reason: failures('manifest', 11).reason(
            hashOf(old, 11),
            hashOf(rewritten, 11),
          ),
        },
        {
          file: 'ledger.jsonl',
          seq: 5,
          reason: failures(5, 4).reason(
            hashOf(old, 4),
            hashOf(rewritten, 4),
            '2026-11-29T12:00:00.000Z',
          ),
        },
        {
          file: 'ledger.jsonl',
          seq: 9,
          reason: failures(9, 8).reason(
            hashOf(old, 8),
            hashOf(rewritten, 8),
            '2026-12-01T00:00:00.000Z',
          ),
        },
      ],
    });

    // The forger also changes each checkpoint's hash line to the rewritten chain's. Without
    // the key nothing tells the forged notes from real ones: the package verifies.
    const forgedDrafts: Array<Draft | DraftAfter> = draftsOf(p.ledger).map(
      draft =>
        draft.kind !== 'ledger.checkpoint'
          ? draft
          : previous => ({
              ...draft,
              payload: {
                ...draft.payload,
                note: forged(
                  draft.payload.note as string,
                  hashOf(old, previous.seq),
                  previous.hash,
                ),
              },
            }),
    );
    const forgedManifest = rewrite(p, chainOf(forgedDrafts));
    const head = forgedManifest.ledgerHead;
    p.manifest = signed({
      ...forgedManifest,
      checkpoint: {
        ...p.manifest.checkpoint,
        note: forged(signedHead, hashOf(old, 11), head.hash),
      },
    });
    expect(await verifyPackage(await zipped(p))).toMatchObject({ ok: true });

    // With the key, each forged note's signature no longer matches its text.
    const mismatch = (at: string) =>
      `the checkpoint signed at ${at} its signature does not match its text`;
    expect(await verifyPackage(await zipped(p), { publicKey })).toEqual({
      ok: false,
      failures: [
        { file: 'manifest.json', reason: mismatch(SIGNED_AT) },
        {
          file: 'ledger.jsonl',
          seq: 5,
          reason: `entry 5: ${mismatch('2026-11-29T12:00:00.000Z')}`,
        },
        {
          file: 'ledger.jsonl',
          seq: 9,
          reason: `entry 9: ${mismatch('2026-12-01T00:00:00.000Z')}`,
        },
      ],
    });
  });

  it('fails checkpoints signed by another key, and a package without the manifest checkpoint, given the key', async () => {
    const other = signingKey();
    const p = checkpointedPackage(other.privateKey, [3]);
    const theirs = publicKeyFingerprint(other.publicKey);
    const notOurs = `is not signed with the key ${FINGERPRINT} (it names the key ${theirs})`;
    expect(await verifyPackage(await zipped(p), { publicKey })).toEqual({
      ok: false,
      failures: [
        {
          file: 'manifest.json',
          reason: `the checkpoint signed at ${SIGNED_AT} ${notOurs}`,
        },
        {
          file: 'ledger.jsonl',
          seq: 5,
          reason: `entry 5: the checkpoint signed at 2026-11-29T13:00:00.000Z ${notOurs}`,
        },
      ],
    });

    const ours = checkpointedPackage(privateKey, [3]);
    const { checkpoint: _removed, ...manifest } = ours.manifest;
    ours.manifest = signed(manifest);
    expect(await verifyPackage(await zipped(ours))).toMatchObject({ ok: true });
    expect(await verifyPackage(await zipped(ours), { publicKey })).toEqual({
      ok: false,
      failures: [
        {
          file: 'manifest.json',
          reason:
            'carries no signed checkpoint: it was exported without a signing key, or the checkpoint was removed',
        },
      ],
    });
  });

  it('fails a manifest checkpoint that does not sign its ledger head, or is malformed', async () => {
    const p = checkpointedPackage(privateKey, []);
    const entry7 = hashOf(p.ledger, 7);
    const head = p.manifest.ledgerHead;
    p.manifest = withCheckpoint(
      p.manifest,
      noteOf(privateKey, 7, entry7),
      privateKey,
    );
    expect(await verifyPackage(await zipped(p), { publicKey })).toEqual({
      ok: false,
      failures: [
        {
          file: 'manifest.json',
          reason: `the checkpoint signed at ${SIGNED_AT} signs entry 7 with hash ${entry7}, but ledgerHead is entry ${head.seq} with hash ${head.hash}: the manifest's head is not the one signed at export`,
        },
      ],
    });

    p.manifest = signed({ ...p.manifest, checkpoint: { note: 7 } });
    expect(await verifyPackage(await zipped(p), { publicKey })).toEqual({
      ok: false,
      failures: [
        {
          file: 'manifest.json',
          reason:
            'checkpoint must have a note, a publicKeyFingerprint and a verifierKey, each a string',
        },
      ],
    });

    p.manifest = signed({
      ...p.manifest,
      checkpoint: {
        note: 'not a note',
        publicKeyFingerprint: FINGERPRINT,
        verifierKey: `${ORIGIN}+00000000+AA==`,
      },
    });
    expect(await verifyPackage(await zipped(p), { publicKey })).toEqual({
      ok: false,
      failures: [
        {
          file: 'manifest.json',
          reason:
            'checkpoint.note cannot be read: is not a signed note (text, a blank line, signatures)',
        },
      ],
    });
  });

  it('fails a checkpoint entry whose note cannot be read, or that covers no entry it can be compared with', async () => {
    const p = checkpointedPackage(privateKey, []);
    const drafts: Array<Draft | DraftAfter> = draftsOf(p.ledger);
    const at = '2026-12-03T00:00:00.000Z';
    drafts.push(
      checkpointDraft(at, 'Time: now\n', privateKey),
      previous =>
        checkpointDraft(
          at,
          noteOf(privateKey, previous.seq + 1, 'ab'.repeat(32)),
          privateKey,
        ),
      checkpointDraft(at, noteOf(privateKey, 0, 'cd'.repeat(32)), privateKey),
    );
    const manifest = rewrite(p, chainOf(drafts));
    p.manifest = manifest;
    expect(await verifyPackage(await zipped(p))).toEqual({
      ok: false,
      failures: [
        {
          file: 'ledger.jsonl',
          seq: 9,
          reason:
            'entry 9: its checkpoint note cannot be read: is not a signed note (text, a blank line, signatures)',
        },
        {
          file: 'ledger.jsonl',
          seq: 10,
          reason: `entry 10: the checkpoint signed at ${SIGNED_AT} covers entry 10, not an entry before it: a checkpoint can only sign what was already written`,
        },
        {
          file: 'ledger.jsonl',
          seq: 11,
          reason: `entry 11: the checkpoint signed at ${SIGNED_AT} covers entry 0, which ledger.jsonl does not hold (it starts at entry 2): it cannot be compared`,
        },
      ],
    });
  });
});
