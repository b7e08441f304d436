import fs from 'fs';
import os from 'os';
import path from 'path';
import { generateKeyPairSync } from 'crypto';

/** A fresh Ed25519 signing key in a PEM file of a new temporary folder: the folder and file. */
export function writeSigningKeyFile(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const keyFile = path.join(dir, 'key.pem');
  fs.writeFileSync(
    keyFile,
    generateKeyPairSync('ed25519').privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }),
  );
  return { dir, keyFile };
}
