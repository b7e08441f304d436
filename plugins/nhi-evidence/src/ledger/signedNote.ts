import {
  KeyObject,
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
} from 'crypto';

/**
 * Signed notes (C2SP signed-note, as Go's golang.org/x/mod/sumdb/note writes them) with Ed25519
 * keys from node's `crypto`: the text, a blank line, then one line per signature,
 * `— <key name> <base64 of the 4-byte key id and the 64-byte signature>`.
 */
const SIGNATURE_LINE = '\u2014 ';
const ED25519 = 0x01;
const KEY_NAME = /^[^\s+]+$/;

const sha256 = (...parts: Array<string | Buffer>) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** The 32 bytes of an Ed25519 public key (the end of its SubjectPublicKeyInfo). */
export function rawPublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `the key is ${
        publicKey.asymmetricKeyType ?? 'not asymmetric'
      }, not Ed25519`,
    );
  }
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
}

/** A signed note's key id: the first 4 bytes of SHA-256(name, "\n", 0x01, public key). */
export function keyId(keyName: string, key: KeyObject): Buffer {
  return sha256(
    keyName,
    '\n',
    Buffer.from([ED25519]),
    rawPublicKey(key),
  ).subarray(0, 4);
}

/** How a person compares keys: `SHA256:` and the unpadded base64 of the key's SHA-256. */
export function publicKeyFingerprint(key: KeyObject): string {
  return `SHA256:${sha256(rawPublicKey(key))
    .toString('base64')
    .replace(/=+$/, '')}`;
}

/** The key as Go's `note` package and transparency-log witnesses read it: `<name>+<id>+<key>`. */
export function verifierKey(keyName: string, key: KeyObject): string {
  const encoded = Buffer.concat([
    Buffer.from([ED25519]),
    rawPublicKey(key),
  ]).toString('base64');
  return `${keyName}+${keyId(keyName, key).toString('hex')}+${encoded}`;
}

/** `text` (ending in a newline) signed under `keyName`. */
export function signNote(
  text: string,
  keyName: string,
  privateKey: KeyObject,
): string {
  if (!KEY_NAME.test(keyName)) {
    throw new Error(
      `key name ${JSON.stringify(keyName)} must be one word without "+"`,
    );
  }
  if (!text.endsWith('\n') || text.includes('\n\n')) {
    throw new Error('a note is lines of text, ending in a newline');
  }
  const signature = sign(null, Buffer.from(text), privateKey);
  const line = Buffer.concat([keyId(keyName, privateKey), signature]);
  return `${text}\n${SIGNATURE_LINE}${keyName} ${line.toString('base64')}\n`;
}

export interface NoteSignature {
  keyName: string;
  keyId: Buffer;
  signature: Buffer;
}

/** A note split into its text and its signature lines, nothing verified. */
export function parseNote(
  note: string,
): { text: string; signatures: NoteSignature[] } | { problem: string } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) {
    return { problem: 'is not a signed note (text, a blank line, signatures)' };
  }
  const signatures: NoteSignature[] = [];
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const match = line.startsWith(SIGNATURE_LINE)
      ? line
          .slice(SIGNATURE_LINE.length)
          .match(/^([^\s+]+) ([A-Za-z0-9+/]+=*)$/)
      : null;
    const bytes = match ? Buffer.from(match[2], 'base64') : Buffer.alloc(0);
    if (!match || bytes.length < 5) {
      return {
        problem: `signature line ${JSON.stringify(
          line,
        )} is not "— <key name> <base64>"`,
      };
    }
    signatures.push({
      keyName: match[1],
      keyId: bytes.subarray(0, 4),
      signature: bytes.subarray(4),
    });
  }
  return { text: note.slice(0, split + 1), signatures };
}

/** The note's text when the holder of `publicKey` signed it; otherwise why not. */
export function openNote(
  note: string,
  publicKey: KeyObject,
): { text: string } | { problem: string } {
  const parsed = parseNote(note);
  if ('problem' in parsed) return parsed;
  const mine = parsed.signatures.filter(s =>
    s.keyId.equals(keyId(s.keyName, publicKey)),
  );
  if (!mine.length) {
    return {
      problem: `is not signed with the key ${publicKeyFingerprint(publicKey)}`,
    };
  }
  const valid = mine.some(s =>
    verify(null, Buffer.from(parsed.text), publicKey, s.signature),
  );
  return valid
    ? { text: parsed.text }
    : { problem: 'its signature does not match its text' };
}

/**
 * An Ed25519 key from text: a PEM private key (PKCS #8) or public key (SPKI), or a verifier key
 * (`<name>+<id>+<base64>`). Throws saying what the text is not.
 */
export function readKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  if (trimmed.includes('PRIVATE KEY-----')) {
    key = createPrivateKey(trimmed);
  } else if (trimmed.includes('PUBLIC KEY-----')) {
    key = createPublicKey(trimmed);
  } else {
    const vkey = trimmed.match(
      /^([^\s+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/,
    );
    const bytes = vkey ? Buffer.from(vkey[3], 'base64') : Buffer.alloc(0);
    if (!vkey || bytes.length !== 33 || bytes[0] !== ED25519) {
      throw new Error(
        'is neither a PEM Ed25519 key nor a verifier key (<name>+<id>+<base64>)',
      );
    }
    key = createPublicKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: bytes.subarray(1).toString('base64url'),
      },
      format: 'jwk',
    });
    if (keyId(vkey[1], key).toString('hex') !== vkey[2]) {
      throw new Error('its key id does not match its name and key');
    }
  }
  rawPublicKey(key);
  return key;
}
