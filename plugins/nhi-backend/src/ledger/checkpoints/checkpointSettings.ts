import fs from 'fs';
import { KeyObject, createPublicKey } from 'crypto';
import type { Config } from '@backstage/config';
import { Duration } from 'luxon';
import {
  publicKeyFingerprint,
  readKey,
  verifierKey,
} from '@nhi-governance/nhi-evidence';

const KEY = 'nhi.ledger.checkpoints';

/** How the ledger's head is signed, and where each checkpoint is published. */
export interface CheckpointSettings {
  /** The log's name: a checkpoint's first line, and the name of its key. */
  origin: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyFingerprint: string;
  /** `<origin>+<key id>+<key>`, as Go's note verifiers and log witnesses take it. */
  verifierKey: string;
  frequency: Duration;
  publish: { file?: string; url?: string; notify: string[] };
}

/** The key's PEM text, from the file or the environment variable the config names. */
function keyText(config: Config): string | undefined {
  const file = config.getOptionalString(`${KEY}.signingKeyFile`);
  const env = config.getOptionalString(`${KEY}.signingKeyEnv`);
  if (file && env) {
    throw new Error(`${KEY}: give signingKeyFile or signingKeyEnv, not both`);
  }
  if (file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(
        `${KEY}.signingKeyFile: cannot read ${file}: ${
          (error as NodeJS.ErrnoException).code ?? error
        }`,
      );
    }
  }
  if (env) {
    const text = process.env[env];
    if (!text) {
      throw new Error(
        `${KEY}.signingKeyEnv: the environment variable ${env} is not set`,
      );
    }
    return text;
  }
  return undefined;
}

/** `<host><path>/api/nhi/ledger` of backend.baseUrl: one name per portal. */
function defaultOrigin(config: Config): string {
  const url = new URL(config.getString('backend.baseUrl'));
  return `${url.host}${url.pathname.replace(/\/$/, '')}/api/nhi/ledger`;
}

/**
 * Reads `nhi.ledger.checkpoints`. Without a signing key the ledger is not signed, which
 * production refuses: a ledger only the database vouches for can be rewritten by whoever
 * writes to the database. Every problem stops start-up, naming the setting.
 */
export function readCheckpointSettings(
  config: Config,
  options = { production: process.env.NODE_ENV === 'production' },
): CheckpointSettings | undefined {
  const text = keyText(config);
  if (text === undefined) {
    if (options.production) {
      throw new Error(
        `${KEY}.signingKeyFile or signingKeyEnv is required in production: the ledger's ` +
          'checkpoints are signed with an Ed25519 key the database does not hold ' +
          '(make one with `openssl genpkey -algorithm ed25519 -out nhi-ledger-key.pem`)',
      );
    }
    return undefined;
  }
  let privateKey: KeyObject;
  try {
    privateKey = readKey(text);
  } catch (error) {
    throw new Error(
      `${KEY}: cannot use the signing key: ${(error as Error).message}`,
    );
  }
  if (privateKey.type !== 'private') {
    throw new Error(
      `${KEY}: the signing key is a public key; give the Ed25519 private key (PKCS #8 PEM)`,
    );
  }
  const origin =
    config.getOptionalString(`${KEY}.origin`) ?? defaultOrigin(config);
  if (!/^[^\s+]+$/.test(origin)) {
    throw new Error(
      `${KEY}.origin must be one word without "+" (it names the key), not ${JSON.stringify(
        origin,
      )}`,
    );
  }
  const frequency = Duration.fromISO(
    config.getOptionalString(`${KEY}.frequency`) ?? 'PT1H',
  );
  if (!frequency.isValid || frequency.as('minutes') < 1) {
    throw new Error(
      `${KEY}.frequency must be an ISO 8601 duration of at least a minute, e.g. PT1H`,
    );
  }
  return {
    origin,
    privateKey,
    publicKey: createPublicKey(privateKey),
    publicKeyFingerprint: publicKeyFingerprint(privateKey),
    verifierKey: verifierKey(origin, privateKey),
    frequency,
    publish: {
      file: config.getOptionalString(`${KEY}.publish.file`),
      url: config.getOptionalString(`${KEY}.publish.url`),
      notify: config.getOptionalStringArray(`${KEY}.publish.notify`) ?? [],
    },
  };
}
