import fs from 'fs';
import os from 'os';
import path from 'path';
import { randomBytes } from 'crypto';
import knexFactory, { Knex } from 'knex';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * Where a real backend keeps its databases for one test, and every row of every table in each of
 * them, as text. The backend's own database service makes one database per plugin (a SQLite file
 * each in a fresh directory, or PostgreSQL databases under a fresh prefix), so that what is
 * searched is everything the backend created, not a list of tables someone thought of.
 */
export interface BackendDatabases {
  /** `backend.database` for the backend's config. */
  config: {
    client: string;
    connection: string | { directory: string };
    prefix?: string;
  };
  /** The names of the databases the backend created. */
  names(): Promise<string[]>;
  /** Every row of every table of every database the backend created, as text. */
  dump(): Promise<string>;
  /** Drops what the backend created. */
  remove(): Promise<void>;
}

/** SQLite always; PostgreSQL when the test command provides one (see nhi-backend's databases). */
export function backendDatabaseIds(): TestDatabaseId[] {
  return TestDatabases.create({
    ids: ['SQLITE_3', 'POSTGRES_15', 'POSTGRES_16', 'POSTGRES_17'],
    disableDocker: true,
  })
    .eachSupportedId()
    .flat();
}

export const expectedDatabaseIds: TestDatabaseId[] = [
  'SQLITE_3',
  ...(process.env.NHI_TEST_POSTGRES_ID
    ? [process.env.NHI_TEST_POSTGRES_ID as TestDatabaseId]
    : []),
];

function rowsAsText(table: string, rows: Record<string, unknown>[]): string {
  const text = rows.map(row =>
    JSON.stringify(
      Object.fromEntries(
        Object.entries(row).map(([column, value]) => [
          column,
          Buffer.isBuffer(value) ? value.toString('utf8') : value,
        ]),
      ),
    ),
  );
  return [`## ${table}`, ...text].join('\n');
}

async function dumpDatabase(
  knex: Knex,
  tables: string[],
  database: string,
): Promise<string> {
  const parts = [`# ${database}`];
  for (const table of tables) {
    parts.push(rowsAsText(table, await knex(table).select()));
  }
  return parts.join('\n');
}

function sqliteDatabases(): BackendDatabases {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-catalog-'));
  const files = () =>
    fs
      .readdirSync(directory)
      .filter(f => f.endsWith('.sqlite'))
      .sort();
  return {
    config: { client: 'better-sqlite3', connection: { directory } },
    names: async () => files(),
    dump: async () => {
      const parts: string[] = [];
      for (const file of files()) {
        const knex = knexFactory({
          client: 'better-sqlite3',
          connection: { filename: path.join(directory, file) },
          useNullAsDefault: true,
        });
        try {
          const tables = (
            await knex('sqlite_master').where({ type: 'table' }).select('name')
          ).map(r => r.name as string);
          parts.push(await dumpDatabase(knex, tables, file));
        } finally {
          await knex.destroy();
        }
      }
      return parts.join('\n');
    },
    remove: async () => fs.rmSync(directory, { recursive: true, force: true }),
  };
}

function postgresDatabases(id: TestDatabaseId): BackendDatabases {
  const connectionString =
    process.env[
      `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`
    ];
  if (!connectionString) throw new Error(`no connection string for ${id}`);
  const prefix = `nhi_redaction_${randomBytes(4).toString('hex')}_`;
  const connect = (database: string) => {
    // The database goes into the URL: pg lets the URL's (absent) database win over `database`.
    const url = new URL(connectionString);
    url.pathname = `/${database}`;
    return knexFactory({ client: 'pg', connection: url.toString() });
  };
  const names = async () => {
    const admin = connect('postgres');
    try {
      const rows = await admin('pg_database')
        .where('datname', 'like', `${prefix}%`)
        .orderBy('datname')
        .select('datname');
      return rows.map(r => r.datname as string);
    } finally {
      await admin.destroy();
    }
  };
  return {
    config: { client: 'pg', connection: connectionString, prefix },
    names,
    dump: async () => {
      const parts: string[] = [];
      for (const database of await names()) {
        const knex = connect(database);
        try {
          const tables = (
            await knex('information_schema.tables')
              .whereNotIn('table_schema', ['pg_catalog', 'information_schema'])
              .where('table_type', 'BASE TABLE')
              .select('table_schema', 'table_name')
          ).map(r => `${r.table_schema}.${r.table_name}`);
          parts.push(await dumpDatabase(knex, tables, database));
        } finally {
          await knex.destroy();
        }
      }
      return parts.join('\n');
    },
    remove: async () => {
      const admin = connect('postgres');
      try {
        for (const database of await names()) {
          await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [
            database,
          ]);
        }
      } finally {
        await admin.destroy();
      }
    },
  };
}

export function backendDatabases(id: TestDatabaseId): BackendDatabases {
  return id === 'SQLITE_3' ? sqliteDatabases() : postgresDatabases(id);
}
