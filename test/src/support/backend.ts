import { ChildProcess, spawn } from 'child_process';
import { createPublicKey, generateKeyPairSync, randomBytes } from 'crypto';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

// These helpers only run from the source tree, never from a build.
// eslint-disable-next-line no-restricted-syntax
export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The demo personas configured in app-config.yaml. */
export type Persona = 'owner' | 'security' | 'platform';

export interface RunningBackend {
  baseUrl: string;
  /** A guest user's Backstage token (the example config signs guests in as dana.reyes). */
  guestToken(): Promise<string>;
  /**
   * A demo persona's Backstage token, from its sign-in provider (`auth.providers.persona-*` in
   * app-config.yaml): `owner` is dana.reyes (payments), `security` is sam.okafor (security) and
   * `platform` is marcus.bennett (platform, owner of no payments identity). Signed in through
   * the catalog, so the token's claims include the user's groups. Cached per persona.
   */
  tokenFor(persona: Persona): Promise<string>;
  /** A static external-access token: a backend service, not a person. */
  serviceToken: string;
  /** GET/POST as the guest, or with `token` as someone else; throws on a non-2xx answer. */
  fetchJson(
    pathname: string,
    init?: RequestInit & { token?: string },
  ): Promise<any>;
  /** Like fetchJson, but returns the status and body whatever the status. */
  request(
    pathname: string,
    init?: RequestInit & { token?: string },
  ): Promise<{ status: number; body: any }>;
  /** Everything the backend has written to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const running = new Set<() => Promise<void>>();
// A detached backend outlives jest unless it is stopped: stop it on every way out.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    Promise.all([...running].map(stop => stop())).finally(() =>
      process.exit(1),
    );
  });
}

/** Ends a whole process group, tolerating one that is already gone. */
function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch (e: any) {
    if (e.code !== 'ESRCH') throw e;
  }
}

/**
 * The Ed25519 key the test backends sign the ledger's checkpoints with, made once per checkout
 * (.cache/test-ledger-signing-key.pem), and its public half for the verifier.
 */
export function ledgerSigningKey() {
  const privateKeyFile = path.join(
    REPO_ROOT,
    '.cache/test-ledger-signing-key.pem',
  );
  if (!fs.existsSync(privateKeyFile)) {
    fs.mkdirSync(path.dirname(privateKeyFile), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    // Jest workers may race here: linked into place whole, the first key made wins.
    const made = `${privateKeyFile}.${process.pid}`;
    fs.writeFileSync(
      made,
      privateKey.export({ type: 'pkcs8', format: 'pem' }),
      {
        mode: 0o600,
      },
    );
    try {
      fs.linkSync(made, privateKeyFile);
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e;
    } finally {
      fs.unlinkSync(made);
    }
  }
  const publicKeyPem = createPublicKey(fs.readFileSync(privateKeyFile))
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return { privateKeyFile, publicKeyPem };
}

/** `backend.database` of the backend's config. */
export type BackendDatabaseConfig =
  | { client: 'better-sqlite3'; connection: string | { directory: string } }
  | { client: 'pg'; connection: string; prefix?: string };

export interface BackendOptions {
  /**
   * `false` reads no discovery source: suites that count the example's declared identities
   * would otherwise race the sources' first scheduled reads, which add discovered ones.
   */
  discovery?: boolean;
  /** The port to listen on; a free one unless given. */
  port?: number;
  /**
   * Where the backend keeps its data; an in-memory SQLite database of its own unless given.
   * Backends given the same PostgreSQL server and prefix share every plugin's database: replicas.
   */
  database?: BackendDatabaseConfig;
  /** Named in its log file in .cache/test-logs (`backend-<time>-<name>-<port>.log`). */
  name?: string;
}

/**
 * Starts the real example backend (packages/backend) as a child process, with the repository's
 * app-config.yaml and the example organisation, on a free port and an in-memory SQLite database
 * unless told otherwise (see BackendOptions). When the app has been built
 * (`yarn workspace app build`), the backend serves it too.
 */
export async function startBackend(
  options: BackendOptions = {},
): Promise<RunningBackend> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const serviceToken = randomBytes(24).toString('hex');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-system-'));
  const overrides = path.join(dir, 'app-config.system-test.yaml');
  fs.writeFileSync(
    overrides,
    JSON.stringify({
      // The backend also serves the built app (packages/app/dist) at the same address.
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { port, host: '127.0.0.1' },
        database: options.database ?? {
          client: 'better-sqlite3',
          connection: ':memory:',
        },
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: serviceToken, subject: 'nhi-system-tests' },
            },
          ],
        },
      },
      catalog: { processingInterval: { seconds: 5 } },
      nhi: {
        // One key for every backend of the run, so replicas sign as one portal.
        ledger: {
          checkpoints: {
            signingKeyFile: ledgerSigningKey().privateKeyFile,
            publish: { file: path.join(dir, 'checkpoints.jsonl') },
          },
        },
        ...(options.discovery === false ? { discovery: { sources: [] } } : {}),
      },
    }),
  );

  let output = '';
  const child: ChildProcess = spawn(
    path.join(REPO_ROOT, 'node_modules/.bin/backstage-cli'),
    [
      'package',
      'start',
      '--config',
      '../../app-config.yaml',
      '--config',
      overrides,
    ],
    {
      cwd: path.join(REPO_ROOT, 'packages/backend'),
      env: { ...process.env, NODE_ENV: 'development', FORCE_COLOR: '0' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // Each backend's whole output is kept beside the test command's logs, for a failure to be read.
  const logDir = path.join(REPO_ROOT, '.cache/test-logs');
  fs.mkdirSync(logDir, { recursive: true });
  const log = fs.createWriteStream(
    path.join(
      logDir,
      `backend-${Date.now()}-${
        options.name ? `${options.name}-` : ''
      }${port}.log`,
    ),
  );
  const record = (d: Buffer) => {
    output += d;
    log.write(d);
  };
  child.stdout!.on('data', record);
  child.stderr!.on('data', record);
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;

  // The CLI leader may exit before its children: always end the whole group.
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      running.delete(stop);
      if (child.pid) {
        killGroup(child.pid, 'SIGTERM');
        const timer = setTimeout(
          () => killGroup(child.pid!, 'SIGKILL'),
          10_000,
        );
        await exited;
        clearTimeout(timer);
        killGroup(child.pid, 'SIGKILL');
      }
      fs.rmSync(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  running.add(stop);

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (hasExited()) {
      await stop();
      throw new Error(`backend exited early:\n${output.slice(-4000)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/api/nhi/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `backend did not become healthy in time:\n${output.slice(-4000)}`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }

  let guest: string | undefined;
  const guestToken = async () => {
    if (!guest) {
      const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        method: 'POST',
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      if (!res.ok) {
        throw new Error(
          `guest sign-in failed: ${res.status} ${await res.text()}`,
        );
      }
      guest = (await res.json()).backstageIdentity.token as string;
    }
    return guest;
  };

  // The catalog may not hold the persona's user yet just after start: ask until it does.
  const personas = new Map<Persona, Promise<string>>();
  const tokenFor = (persona: Persona) => {
    let token = personas.get(persona);
    if (!token) {
      token = eventually(
        `a token for the ${persona} persona`,
        async () => {
          const res = await fetch(
            `${baseUrl}/api/auth/persona-${persona}/refresh`,
            { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
          );
          if (!res.ok) {
            throw new Error(
              `persona sign-in failed: ${res.status} ${await res.text()}`,
            );
          }
          return (await res.json()).backstageIdentity.token as string;
        },
        60_000,
      );
      // A failure is not cached: the next call asks again.
      token.catch(() => personas.delete(persona));
      personas.set(persona, token);
    }
    return token;
  };

  const request: RunningBackend['request'] = async (pathname, init = {}) => {
    const { token, ...rest } = init;
    const res = await fetch(`${baseUrl}${pathname}`, {
      ...rest,
      headers: {
        Authorization: `Bearer ${token ?? (await guestToken())}`,
        ...(rest.headers ?? {}),
      },
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body };
  };

  const fetchJson: RunningBackend['fetchJson'] = async (pathname, init) => {
    const { status, body } = await request(pathname, init);
    if (status < 200 || status > 299) {
      throw new Error(`${pathname}: ${status} ${JSON.stringify(body)}`);
    }
    return body;
  };

  return {
    baseUrl,
    guestToken,
    tokenFor,
    serviceToken,
    fetchJson,
    request,
    output: () => output,
    stop,
  };
}

/** Polls until check() returns a value, for state the catalog reaches asynchronously. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${lastError ? `: ${lastError}` : ''}`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}
