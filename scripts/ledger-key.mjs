// Makes a development Ed25519 key for the ledger's signed checkpoints, if there is none yet:
// <file> (PKCS #8 PEM, readable by its owner only) and <file>.pub (the public key, for
// `nhi-evidence verify --public-key`). Production brings its own key; see the README.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/ledger-key.mjs <private-key.pem>');
  process.exit(2);
}
if (!existsSync(file)) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
  writeFileSync(
    `${file}.pub`,
    publicKey.export({ type: 'spki', format: 'pem' }),
  );
  console.log(
    `made a development ledger signing key: ${file} (public: ${file}.pub)`,
  );
}
