/* eslint-disable no-console */
/**
 * yarn bench [--sizes 100000,500000] [--events 10000000] [--db sqlite,pg] [--requests 300]
 *
 * Generates an organisation, then measures on each database: catalog sync, full status
 * recompute, rollup rebuild, event ingest throughput, p50/p95 of the entity, list and rollup
 * endpoints, and peak memory. PostgreSQL comes from BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * (scripts/test.sh starts one); each run uses a fresh database that it drops afterwards.
 */
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import express from 'express';
import knexFactory, { Knex } from 'knex';
import { DateTime } from 'luxon';
import { mockServices } from '@backstage/backend-test-utils';
import { applyDatabaseMigrations } from '../src/database/migrations';
import { rebuildRollups } from '../src/database/rollupTable';
import { EventIngestor } from '../src/events/EventIngestor';
import { IdentityRegistry } from '../src/identities/IdentityRegistry';
import { IdentityReadAuthorizer } from '../src/permissions/authorizeIdentityRead';
import { identityRuleset } from '../src/permissions/identityResource';
import { DEFAULT_POLICY } from '../src/policy/Policy';
import { createRouter } from '../src/service/router';
import { StatusRecomputer } from '../src/status/StatusRecomputer';
import { benchCatalog, generateIdentities, random } from './generate';

const args = Object.fromEntries(
  process.argv.slice(2).reduce<string[][]>((pairs, a, i, all) => {
    if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const SIZES = (args.sizes ?? '100000,500000').split(',').map(Number);
const EVENTS = Number(args.events ?? 10_000_000);
const DATABASES = (args.db ?? 'sqlite,pg').split(',');
const REQUESTS = Number(args.requests ?? 300);
const NOW = DateTime.fromISO('2026-11-29T12:00:00Z', { zone: 'utc' });

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
};

async function openDatabase(
  db: string,
): Promise<{ knex: Knex; close(): Promise<void> }> {
  if (db === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhi-bench-'));
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'nhi.sqlite') },
      useNullAsDefault: true,
    });
    return {
      knex,
      close: async () => {
        await knex.destroy();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
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
  const knex = knexFactory({
    client: 'pg',
    connection: `${url.replace(/\/$/, '')}/${name}`,
  });
  return {
    knex,
    close: async () => {
      await knex.destroy();
      await admin.raw(`drop database ${name}`);
      await admin.destroy();
    },
  };
}

async function latencies(
  baseUrl: string,
  paths: () => string,
): Promise<{ p50: number; p95: number }> {
  const samples: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const [res, ms] = await timed(() => fetch(`${baseUrl}${paths()}`));
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    samples.push(ms);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function benchOne(db: string, size: number) {
  peakRss = process.memoryUsage().rss;
  const { knex, close } = await openDatabase(db);
  try {
    await applyDatabaseMigrations(knex);
    const records = generateIdentities(size);
    const catalog = benchCatalog();
    const [, syncMs] = await timed(() =>
      new IdentityRegistry(knex).applySnapshot(
        'catalog',
        records,
        NOW.toISO()!,
      ),
    );
    const recomputer = new StatusRecomputer(knex, DEFAULT_POLICY);
    const [, recomputeMs] = await timed(() =>
      recomputer.recompute(catalog, NOW),
    );
    const [, steadyRecomputeMs] = await timed(() =>
      recomputer.recompute(catalog, NOW),
    );
    const [, rollupMs] = await timed(() =>
      rebuildRollups(knex, NOW.toISODate()!),
    );

    // Usage spread over the last 30 days, 1000 events per request, as a collector would send.
    const ingestor = new EventIngestor(knex);
    const rnd = random(7);
    const [, ingestMs] = await timed(async () => {
      for (let sent = 0; sent < EVENTS; sent += 1000) {
        const events = Array.from(
          { length: Math.min(1000, EVENTS - sent) },
          (_, i) => ({
            id: `e-${sent + i}`,
            type: 'used',
            occurredAt: NOW.minus({
              minutes: Math.floor(rnd() * 43_200),
            }).toISO(),
            identity: { ref: records[Math.floor(rnd() * records.length)].ref },
            sourceIp: `10.0.${Math.floor(rnd() * 255)}.${Math.floor(
              rnd() * 255,
            )}`,
          }),
        );
        await ingestor.ingest({ events }, NOW);
      }
    });

    const app = express().use(
      await createRouter({
        knex,
        httpAuth: mockServices.httpAuth(),
        permissions: mockServices.permissions(),
        ingestor,
        refresher: {
          refreshIdentities: async () => {},
          refreshAll: async () => {},
        },
        identityRead: new IdentityReadAuthorizer(
          mockServices.permissions(),
          identityRuleset as any,
        ),
      }),
    );
    const server = http.createServer(app);
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    const baseUrl = `http://127.0.0.1:${(server.address() as any).port}`;
    const pick = () =>
      records[Math.floor(rnd() * records.length)].ref.split('/')[1];
    const entity = await latencies(
      baseUrl,
      () => `/identities/default/${pick()}`,
    );
    const list = await latencies(
      baseUrl,
      () =>
        `/identities?owner=group:default/team-${Math.floor(
          rnd() * 300,
        )}&limit=50`,
    );
    const rollup = await latencies(baseUrl, () => '/rollups?by=owner');
    server.close();

    return {
      db,
      identities: size,
      events: EVENTS,
      syncSeconds: syncMs / 1000,
      recomputeSeconds: recomputeMs / 1000,
      steadyRecomputeSeconds: steadyRecomputeMs / 1000,
      rollupRebuildSeconds: rollupMs / 1000,
      ingestEventsPerSecond: Math.round(EVENTS / (ingestMs / 1000)),
      entityMs: entity,
      listMs: list,
      rollupMs: rollup,
      peakRssMb: Math.round(peakRss / 1024 / 1024),
    };
  } finally {
    await close();
  }
}

const TARGETS =
  '(targets at 500k: recompute < 15 s, entity p95 < 10 ms, rollup p95 < 50 ms, ingest >= 20000/s, memory < 1024 MB)';

async function main() {
  console.log(
    `node ${process.version}, ${os.cpus().length} cores, ${Math.round(
      os.totalmem() / 2 ** 30,
    )} GiB; ${TARGETS}`,
  );
  const results = [];
  for (const size of SIZES) {
    for (const db of DATABASES) {
      const r = await benchOne(db, size);
      results.push(r);
      console.log(JSON.stringify(r));
    }
  }
  const out = path.join(__dirname, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, `bench-${Date.now()}.json`),
    JSON.stringify(results, null, 2),
  );
  clearInterval(sampler);
}

main().catch(e => {
  // SQL errors quote whole statements; the start says what failed.
  console.error(String(e?.stack ?? e).slice(0, 2000));
  process.exit(1);
});
