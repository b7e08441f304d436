import { RunningBackend, startBackend } from './backend';
import { SharedPostgres, sharedPostgres } from './postgres';

/** One replica of the example backend, named for messages. */
export interface Replica extends RunningBackend {
  name: string;
}

export interface Replicas {
  replicas: Replica[];
  postgres: SharedPostgres;
  /** Stops every replica, then drops their databases. */
  stop(): Promise<void>;
}

/**
 * Starts `count` example backends, each on its own port, all on one fresh set of PostgreSQL
 * databases (see sharedPostgres): replicas behind one load balancer, as production runs
 * Backstage. The discovery sources of app-config.yaml stay configured. Throws, and leaves
 * nothing running, when PostgreSQL does not answer or a replica does not start.
 *
 * The first replica starts alone and creates the schemas; the others start once it answers.
 * Started at the same moment on empty databases, the replicas' knex migrations race to create
 * their bookkeeping tables (Backstage's own plugins as much as nhi), and some plugins fail.
 */
export async function startReplicas(count = 2): Promise<Replicas> {
  const postgres = await sharedPostgres();
  const replicas: Replica[] = [];
  const stop = async () => {
    await Promise.all(replicas.map(r => r.stop()));
    await postgres.remove();
  };
  const start = async (name: string) => {
    const backend = await startBackend({
      database: postgres.config,
      name: `replica-${name}`,
    });
    replicas.push({ ...backend, name });
  };
  const names = Array.from({ length: count }, (_, i) =>
    String.fromCharCode(97 + i),
  );
  try {
    await start(names[0]);
    const rest = await Promise.allSettled(names.slice(1).map(start));
    const failed = rest.find(
      (s): s is PromiseRejectedResult => s.status === 'rejected',
    );
    if (failed) throw failed.reason;
  } catch (error) {
    await stop();
    throw new Error(
      `a replica on PostgreSQL at ${postgres.where} did not start: ${error}`,
    );
  }
  replicas.sort((x, y) => x.name.localeCompare(y.name));
  return { replicas, postgres, stop };
}

/** A GET whose body is kept as bytes (a ZIP), or read as JSON when it is not a 200. */
export async function download(
  backend: RunningBackend,
  pathname: string,
  token: string,
): Promise<{ status: number; bytes: Buffer; body: any }> {
  const res = await fetch(`${backend.baseUrl}${pathname}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  let body: any = undefined;
  if (res.status !== 200) {
    try {
      body = JSON.parse(bytes.toString('utf8'));
    } catch {
      body = bytes.toString('utf8');
    }
  }
  return { status: res.status, bytes, body };
}
