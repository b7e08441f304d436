import { execFile } from 'child_process';
import { randomBytes } from 'crypto';
import { promisify } from 'util';
import type { BackendDatabaseConfig } from './backend';

/**
 * A fresh set of PostgreSQL databases on the server the test command started
 * (scripts/postgres.sh, `start_postgres`): Backstage makes one database per plugin, named
 * `<prefix><pluginId>`, and every backend given this config shares them, as replicas do.
 */
export interface SharedPostgres {
  /** `backend.database` for every replica. */
  config: Extract<BackendDatabaseConfig, { client: 'pg' }>;
  /** Where the server is, for messages. */
  where: string;
  /** Drops every database the backends created under the prefix. */
  remove(): Promise<void>;
}

/** The connection string scripts/postgres.sh exported, or an error saying what is missing. */
function connectionString(): string {
  const id = process.env.NHI_TEST_POSTGRES_ID;
  const variable = id
    ? `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`
    : Object.keys(process.env).find(k =>
        /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
      );
  const value = variable ? process.env[variable] : undefined;
  if (value) return value;
  throw new Error(
    id
      ? `The test command started PostgreSQL (NHI_TEST_POSTGRES_ID=${id}) but ${variable} is not set`
      : 'This suite needs PostgreSQL and none is configured: run it through scripts/test.sh, or ' +
        'first `source scripts/bootstrap.sh; source scripts/postgres.sh; start_postgres` ' +
        '(it exports BACKSTAGE_TEST_DATABASE_POSTGRES<version>_CONNECTION_STRING)',
  );
}

/** Runs one SQL statement with Debian's psql (installed with the server), rows as lines. */
async function psql(url: string, sql: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    'psql',
    [url, '--no-psqlrc', '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql],
    { timeout: 20_000 },
  );
  return stdout.split('\n').filter(Boolean);
}

/**
 * Checks that the server answers and returns a fresh prefix on it. Throws, naming the server
 * and why, when it does not: a suite that needs PostgreSQL fails rather than skips.
 */
export async function sharedPostgres(): Promise<SharedPostgres> {
  const base = connectionString();
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const where = `${admin.hostname}:${admin.port || 5432}`;
  try {
    await psql(admin.toString(), 'select 1');
  } catch (error: any) {
    throw new Error(
      `PostgreSQL at ${where} (${base}) does not answer: ${String(
        error.stderr || error.message,
      ).trim()}`,
    );
  }
  const prefix = `nhi_replicas_${randomBytes(4).toString('hex')}_`;
  return {
    config: { client: 'pg', connection: base, prefix },
    where,
    remove: async () => {
      const names = await psql(
        admin.toString(),
        `select datname from pg_database where left(datname, ${prefix.length}) = '${prefix}'`,
      );
      for (const name of names) {
        await psql(
          admin.toString(),
          `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`,
        );
      }
    },
  };
}
