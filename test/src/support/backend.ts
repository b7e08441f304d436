import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

// These helpers only run from the source tree, never from a build.
// eslint-disable-next-line no-restricted-syntax
export const REPO_ROOT = path.resolve(__dirname, '../../..');

export interface RunningBackend {
  baseUrl: string;
  /** A guest user's Backstage token (the example config signs guests in as dana.reyes). */
  guestToken(): Promise<string>;
  fetchJson(pathname: string, init?: RequestInit): Promise<any>;
  stop(): Promise<void>;
  logs(): string;
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

/**
 * Starts the real example backend (packages/backend) as a child process, with the repository's
 * app-config.yaml and the example organisation, on a free port and an in-memory SQLite database.
 * When the app has been built (`yarn workspace app build`), the backend serves it too.
 */
export async function startBackend(): Promise<RunningBackend> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
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
        database: { client: 'better-sqlite3', connection: ':memory:' },
      },
      catalog: { processingInterval: { seconds: 5 } },
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
  child.stdout!.on('data', d => (output += d));
  child.stderr!.on('data', d => (output += d));

  const stop = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise(resolve => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(
      () => child.pid && process.kill(-child.pid, 'SIGKILL'),
      10_000,
    );
    await exited;
    clearTimeout(timer);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `backend exited with ${child.exitCode}:\n${output.slice(-4000)}`,
      );
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

  let token: string | undefined;
  const guestToken = async () => {
    if (!token) {
      const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        method: 'POST',
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      });
      if (!res.ok)
        throw new Error(
          `guest sign-in failed: ${res.status} ${await res.text()}`,
        );
      token = (await res.json()).backstageIdentity.token as string;
    }
    return token;
  };

  const fetchJson = async (pathname: string, init: RequestInit = {}) => {
    const res = await fetch(`${baseUrl}${pathname}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${await guestToken()}`,
        ...(init.headers ?? {}),
      },
    });
    const body = await res.text();
    if (!res.ok) throw new Error(`${pathname}: ${res.status} ${body}`);
    return JSON.parse(body);
  };

  return { baseUrl, guestToken, fetchJson, stop, logs: () => output };
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
