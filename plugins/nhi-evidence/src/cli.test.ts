import { promises as fs } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { generateKeyPairSync } from 'crypto';
import { formatFailure, runCli } from './cli';
import { publicKeyFingerprint, verifierKey } from './ledger/signedNote';
import {
  ORIGIN,
  checkpointedPackage,
  signingKey,
  zipped,
} from './__testUtils__/checkpointPackage';
import { sampleZip } from './__testUtils__/testPackage';

/** Runs the CLI, capturing what it writes. */
async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: line => out.push(line),
    err: line => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('nhi-evidence', () => {
  let dir: string;
  let good: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'nhi-evidence-cli-'));
    good = join(dir, 'good.zip');
    await fs.writeFile(good, await sampleZip());
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it.each([
    [[], 'a command is required'],
    [['check', 'x.zip'], 'unknown command check'],
    [['verify'], 'verify needs the package: nhi-evidence verify <package.zip>'],
    [['verify', 'a.zip', 'b.zip'], 'verify takes one package, not several'],
    [['verify', '--fast', 'a.zip'], 'unknown option --fast'],
  ])(
    'refuses %j with exit status 2, saying why and how to use it',
    async (args, problem) => {
      const { code, out, err } = await cli(...args);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(
        new RegExp(`^nhi-evidence: ${problem}\nUsage: nhi-evidence verify`),
      );
    },
  );

  it.each([[['--help']], [['-h']], [['help']], [['verify', '--help']]])(
    'prints its usage for %j',
    async args => {
      const { code, out, err } = await cli(...args);
      expect(code).toBe(0);
      expect(out).toMatch(
        /^Usage: nhi-evidence verify \[--json\] \[--expect-package-hash <sha256>\] \[--public-key <file>\] <package.zip>/,
      );
      expect(out).toContain('Exit status: 0');
      expect(err).toBe('');
    },
  );

  it('exits 2 for a package it cannot read, without the usage', async () => {
    const missing = join(dir, 'missing.zip');
    expect(await cli('verify', missing)).toEqual({
      code: 2,
      out: '',
      err: `nhi-evidence: cannot read ${missing}: ENOENT`,
    });
    expect(await cli('verify', dir)).toEqual({
      code: 2,
      out: '',
      err: `nhi-evidence: ${dir} is not a file`,
    });
  });

  it('prints PASS and exits 0 for a package that verifies', async () => {
    const { code, out, err } = await cli('verify', good);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(
      new RegExp(
        `^PASS ${good}: 9 files, 7 ledger entries \\(seq 2-8\\), package hash [0-9a-f]{64}, period 2026-10-01 to 2026-12-31\n` +
          '  checked against the ledger: 1 identity, 2 review decisions, 1 exception decision, 1 approval, 1 finding change, 1 lifecycle event;',
      ),
    );
    // What the ledger cannot vouch for is said in the text too, not only with --json.
    expect(out).toMatch(
      /\n {2}not checked: inventory\.csv first_seen_at, removed_at: .+\n/,
    );
    expect(out).toMatch(/\n {2}not checked: usage\.csv .+\n/);
  });

  it('prints each FAIL and exits 1 for a package that does not', async () => {
    const bad = join(dir, 'bad.zip');
    await fs.writeFile(bad, 'not a zip');
    const { code, out } = await cli('verify', bad);
    expect(code).toBe(1);
    expect(out).toMatch(
      new RegExp(
        `^FAIL bad.zip: is not a readable ZIP: .*\n${bad} does not verify: 1 problem$`,
      ),
    );
  });

  it('checks the package hash the portal recorded, when given', async () => {
    const { out } = await cli('verify', '--json', good);
    const { packageHash } = JSON.parse(out).summary;
    expect(
      (await cli('verify', '--expect-package-hash', packageHash, good)).code,
    ).toBe(0);
    const other = 'a'.repeat(64);
    const refused = await cli('verify', '--expect-package-hash', other, good);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(
      `FAIL manifest.json: packageHash ${packageHash} is not the expected ${other}, the hash the portal recorded when it exported the package`,
    );
    const malformed = await cli('verify', '--expect-package-hash', 'abc', good);
    expect(malformed.code).toBe(2);
    expect(malformed.err).toMatch(
      /^nhi-evidence: --expect-package-hash must be a SHA-256 in hex/,
    );
  });

  it('prints the result as JSON with --json', async () => {
    const { code, out } = await cli('verify', '--json', good);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ ok: true, summary: { files: 9 } });
  });

  describe('--public-key', () => {
    const { privateKey, publicKey } = signingKey();
    const fingerprint = publicKeyFingerprint(publicKey);
    let checkpointed: string;
    let pem: string;

    beforeAll(async () => {
      checkpointed = join(dir, 'checkpointed.zip');
      await fs.writeFile(
        checkpointed,
        await zipped(checkpointedPackage(privateKey)),
      );
      pem = join(dir, 'public.pem');
      await fs.writeFile(
        pem,
        publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      );
    });

    it('prints the signed checkpoints, and whose key signed them when given it', async () => {
      const unchecked = await cli('verify', checkpointed);
      expect(unchecked.code).toBe(0);
      expect(unchecked.out).toContain(
        '\n  signed checkpoints: 4, the last covering entry 11 (signatures not checked: pass --public-key)\n',
      );
      expect(unchecked.out).toContain(
        '\n  not checked: ledger.jsonl checkpoint signatures: pass --public-key to check who signed the checkpoints\n',
      );
      const withPem = await cli('verify', '--public-key', pem, checkpointed);
      expect(withPem.code).toBe(0);
      expect(withPem.out).toContain(
        `\n  signed checkpoints: 4, the last covering entry 11, signatures verified with ${fingerprint}\n`,
      );
      expect(withPem.out).not.toContain('checkpoint signatures');
      // The verifier key the portal publishes reads as well as the PEM.
      const vkey = join(dir, 'verifier.key');
      await fs.writeFile(vkey, `${verifierKey(ORIGIN, publicKey)}\n`);
      expect(
        (await cli('verify', '--public-key', vkey, checkpointed)).code,
      ).toBe(0);
      // A package exported before checkpoints were signed says so, and fails given the key.
      expect((await cli('verify', good)).out).toContain(
        '\n  signed checkpoints: none\n',
      );
      expect(await cli('verify', '--public-key', pem, good)).toMatchObject({
        code: 1,
        out:
          'FAIL manifest.json: carries no signed checkpoint: it was exported without a signing key, or the checkpoint was removed\n' +
          `${good} does not verify: 1 problem`,
      });
    });

    it('fails a package whose checkpoints another key signed', async () => {
      const other = join(dir, 'other.pem');
      const otherKey = signingKey().publicKey;
      await fs.writeFile(
        other,
        otherKey.export({ format: 'pem', type: 'spki' }).toString(),
      );
      const { code, out } = await cli(
        'verify',
        '--public-key',
        other,
        checkpointed,
      );
      expect(code).toBe(1);
      expect(out).toContain(
        `FAIL ledger.jsonl entry 5: entry 5: the checkpoint signed at 2026-11-29T12:00:00.000Z is not signed with the key ${publicKeyFingerprint(
          otherKey,
        )} (it names the key ${fingerprint})`,
      );
    });

    it('exits 2 for a key file it cannot read, or a key that is not Ed25519', async () => {
      const missing = join(dir, 'missing.pem');
      expect(
        await cli('verify', '--public-key', missing, checkpointed),
      ).toEqual({
        code: 2,
        out: '',
        err: `nhi-evidence: cannot read the --public-key ${missing}: ENOENT`,
      });
      const rsa = join(dir, 'rsa.pem');
      const { publicKey: rsaKey } = generateKeyPairSync('rsa', {
        modulusLength: 2048,
      });
      await fs.writeFile(
        rsa,
        rsaKey.export({ format: 'pem', type: 'spki' }).toString(),
      );
      expect(await cli('verify', '--public-key', rsa, checkpointed)).toEqual({
        code: 2,
        out: '',
        err: `nhi-evidence: --public-key ${rsa}: the key is rsa, not Ed25519`,
      });
      const text = join(dir, 'key.txt');
      await fs.writeFile(text, 'ssh-ed25519 AAAA\n');
      expect(
        (await cli('verify', '--public-key', text, checkpointed)).err,
      ).toBe(
        `nhi-evidence: --public-key ${text}: is neither a PEM Ed25519 key nor a verifier key (<name>+<id>+<base64>)`,
      );
    });
  });

  it('names the file, and the row, line or entry, of each failure', () => {
    expect(formatFailure({ file: 'a.csv', row: 3, seq: 9, reason: 'r' })).toBe(
      'FAIL a.csv row 3: r',
    );
    expect(formatFailure({ file: 'ledger.jsonl', line: 2, reason: 'r' })).toBe(
      'FAIL ledger.jsonl line 2: r',
    );
    expect(formatFailure({ file: 'ledger.jsonl', seq: 9, reason: 'r' })).toBe(
      'FAIL ledger.jsonl entry 9: r',
    );
    expect(formatFailure({ file: 'notes.txt', reason: 'r' })).toBe(
      'FAIL notes.txt: r',
    );
  });
});
