import fs from 'fs';
import os from 'os';
import path from 'path';
import knexFactory, { Knex } from 'knex';

/** Where a run's database lives: a SQLite file, or a PostgreSQL database of its own. */
export async function createDatabase(db: string): Promise<string> {
  if (db === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-bench-'));
    return path.join(dir, 'nhi.sqlite');
  }
  const url =
    process.env.NHI_BENCH_POSTGRES ??
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!url)
    throw new Error(
      'Set NHI_BENCH_POSTGRES (or run through scripts/bench.sh) for --db pg',
    );
  const name = `nhi_bench_${process.pid}_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: url });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  return `${url.replace(/\/$/, '')}/${name}`;
}

export async function dropDatabase(location: string): Promise<void> {
  if (!location.startsWith('postgres')) {
    fs.rmSync(path.dirname(location), { recursive: true, force: true });
    return;
  }
  const name = location.slice(location.lastIndexOf('/') + 1);
  const admin = knexFactory({
    client: 'pg',
    connection: location.slice(0, location.lastIndexOf('/')),
  });
  await admin.raw(`drop database ${name}`);
  await admin.destroy();
}

export const openDatabase = (location: string, connections = 2): Knex =>
  location.startsWith('postgres')
    ? knexFactory({
        client: 'pg',
        connection: location,
        pool: { min: 1, max: connections },
      })
    : knexFactory({
        client: 'better-sqlite3',
        connection: { filename: location },
        useNullAsDefault: true,
      });
