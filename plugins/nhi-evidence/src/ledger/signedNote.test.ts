import { createPrivateKey, generateKeyPairSync } from 'crypto';
import {
  keyId,
  openNote,
  publicKeyFingerprint,
  readKey,
  signNote,
  verifierKey,
} from './signedNote';

// Origin: golang.org/x/mod, sumdb/note/note.go (package documentation) and note_test.go, the
// reference example of the signed-note format: its signer key, verifier key, text and note.
const PETER_SIGNER =
  'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VERIFIER =
  'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_TEXT =
  'If you think cryptography is the answer to your problem,\n' +
  "then you don't know what your problem is.\n";
const PETER_NOTE = `${PETER_TEXT}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

/** Go's private key text is 0x01 and the Ed25519 seed: as PKCS #8 for node. */
function goSigner(text: string) {
  const seed = Buffer.from(
    text.split('+').slice(4).join('+'),
    'base64',
  ).subarray(1);
  return createPrivateKey({
    key: Buffer.concat([
      Buffer.from('302e020100300506032b657004220420', 'hex'),
      seed,
    ]),
    format: 'der',
    type: 'pkcs8',
  });
}

describe('signed notes', () => {
  it("signs Go's reference note byte for byte (Ed25519 is deterministic)", () => {
    const key = goSigner(PETER_SIGNER);
    expect(signNote(PETER_TEXT, 'PeterNeumann', key)).toBe(PETER_NOTE);
    expect(verifierKey('PeterNeumann', key)).toBe(PETER_VERIFIER);
    expect(keyId('PeterNeumann', key).toString('hex')).toBe('c74f20a3');
  });

  it("opens Go's reference note with its verifier key, and refuses it changed", () => {
    const key = readKey(PETER_VERIFIER);
    expect(openNote(PETER_NOTE, key)).toEqual({ text: PETER_TEXT });
    expect(
      openNote(PETER_NOTE.replace('cryptography', 'cryptographY'), key),
    ).toEqual({ problem: 'its signature does not match its text' });
  });

  it('refuses a note signed by another key, naming the expected key', () => {
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(openNote(PETER_NOTE, other)).toEqual({
      problem: `is not signed with the key ${publicKeyFingerprint(other)}`,
    });
  });

  it('reads PEM private and public keys and verifier keys, and refuses others', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = (k: typeof publicKey) =>
      k
        .export({
          format: 'pem',
          type: k.type === 'private' ? 'pkcs8' : 'spki',
        })
        .toString();
    const fingerprint = publicKeyFingerprint(publicKey);
    expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(publicKeyFingerprint(readKey(pem(privateKey)))).toBe(fingerprint);
    expect(publicKeyFingerprint(readKey(pem(publicKey)))).toBe(fingerprint);
    expect(publicKeyFingerprint(readKey(verifierKey('log', publicKey)))).toBe(
      fingerprint,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(() => readKey(pem(rsa))).toThrow('the key is rsa, not Ed25519');
    expect(() => readKey('not a key')).toThrow(
      'is neither a PEM Ed25519 key nor a verifier key',
    );
    expect(() =>
      readKey(PETER_VERIFIER.replace('c74f20a3', 'c74f20a4')),
    ).toThrow('its key id does not match its name and key');
  });

  it('refuses a key name with a space or "+", and text that is not lines', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(() => signNote('x\n', 'a b', privateKey)).toThrow('one word');
    expect(() => signNote('x', 'log', privateKey)).toThrow(
      'ending in a newline',
    );
  });
});
