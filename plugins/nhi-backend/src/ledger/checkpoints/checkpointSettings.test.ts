import fs from 'fs';
import os from 'os';
import path from 'path';
import { generateKeyPairSync } from 'crypto';
import { ConfigReader } from '@backstage/config';
import { readCheckpointSettings } from './checkpointSettings';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-checkpoint-settings-'));
const pair = generateKeyPairSync('ed25519');
const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' });
const keyFile = path.join(dir, 'key.pem');
fs.writeFileSync(keyFile, privatePem);

const read = (checkpoints: object | undefined, production = false) =>
  readCheckpointSettings(
    new ConfigReader({
      backend: { baseUrl: 'https://portal.example.com' },
      ...(checkpoints ? { nhi: { ledger: { checkpoints } } } : {}),
    }),
    { production },
  );

describe('readCheckpointSettings', () => {
  it('refuses to start in production without a signing key, saying how to make one', () => {
    expect(() => read(undefined, true)).toThrow(
      /^nhi\.ledger\.checkpoints\.signingKeyFile or signingKeyEnv is required in production: .*openssl genpkey -algorithm ed25519/,
    );
    // Outside production the ledger is then simply not signed.
    expect(read(undefined)).toBeUndefined();
  });

  it('reads the key from a file or an environment variable, with its public fingerprint', () => {
    const fromFile = read({ signingKeyFile: keyFile }, true)!;
    process.env.NHI_TEST_LEDGER_KEY = String(privatePem);
    const fromEnv = read({ signingKeyEnv: 'NHI_TEST_LEDGER_KEY' }, true)!;
    delete process.env.NHI_TEST_LEDGER_KEY;
    expect(fromFile.publicKeyFingerprint).toMatch(/^SHA256:/);
    expect(fromEnv.publicKeyFingerprint).toBe(fromFile.publicKeyFingerprint);
    expect(fromFile).toMatchObject({
      origin: 'portal.example.com/api/nhi/ledger',
      verifierKey: expect.stringMatching(
        /^portal\.example\.com\/api\/nhi\/ledger\+[0-9a-f]{8}\+/,
      ),
      publish: { notify: [] },
    });
    expect(fromFile.frequency.toISO()).toBe('PT1H');
  });

  it.each([
    [
      { signingKeyFile: path.join(dir, 'missing.pem') },
      /^nhi\.ledger\.checkpoints\.signingKeyFile: cannot read .*missing\.pem: ENOENT/,
    ],
    [
      { signingKeyEnv: 'NHI_TEST_NO_SUCH_VARIABLE' },
      'nhi.ledger.checkpoints.signingKeyEnv: the environment variable NHI_TEST_NO_SUCH_VARIABLE is not set',
    ],
    [
      { signingKeyFile: keyFile, signingKeyEnv: 'X' },
      'give signingKeyFile or signingKeyEnv, not both',
    ],
    [{ signingKeyFile: keyFile, origin: 'my log' }, /origin must be one word/],
    [
      { signingKeyFile: keyFile, frequency: 'hourly' },
      /frequency must be an ISO 8601 duration/,
    ],
  ])('refuses %j, naming the setting', (checkpoints, message) => {
    expect(() => read(checkpoints)).toThrow(message);
  });

  it('refuses a public key, and a key that is not Ed25519', () => {
    const publicFile = path.join(dir, 'public.pem');
    fs.writeFileSync(
      publicFile,
      pair.publicKey.export({ type: 'spki', format: 'pem' }),
    );
    expect(() => read({ signingKeyFile: publicFile })).toThrow(
      'the signing key is a public key',
    );
    const rsaFile = path.join(dir, 'rsa.pem');
    fs.writeFileSync(
      rsaFile,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }),
    );
    expect(() => read({ signingKeyFile: rsaFile })).toThrow(
      'nhi.ledger.checkpoints: cannot use the signing key: the key is rsa, not Ed25519',
    );
  });
});
