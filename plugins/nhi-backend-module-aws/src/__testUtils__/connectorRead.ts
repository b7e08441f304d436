import type { Readable } from 'stream';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  SourceParseError,
  type ConnectorReadOptions,
  type LogObjectCheckpoints,
  type NhiConnector,
  type ObjectUsageObservation,
  type SourceWarning,
} from '@nhi-governance/plugin-nhi-node';

/**
 * What a connector's read is given, recorded: the checkpoints it asked about, the scopes it
 * reported, its warnings, and how many objects it had open at once. `parseAs` stands in for
 * the backend's CloudTrail parser (which the backend does not export): it reads the gunzipped
 * `{"Records":[...]}` whole, which a test's small objects allow, and throws a
 * SourceParseError on a body that is not JSON, as the real parser does.
 */
export function recordedRead(
  settings: Record<string, unknown>,
  checkpoints: {
    complete?: string[];
    lastComplete?: Record<string, string>;
  } = {},
) {
  const complete = new Set(checkpoints.complete);
  const asked: string[] = [];
  const done: string[] = [];
  const scopes = {
    read: [] as string[],
    failed: [] as Array<[string, string]>,
  };
  const warnings: SourceWarning[] = [];
  const parses = { open: 0, mostOpen: 0, formats: new Set<string>() };

  const logObjects: LogObjectCheckpoints = {
    lastComplete: async prefix => {
      asked.push(prefix);
      return checkpoints.lastComplete?.[prefix];
    },
    isComplete: async object => complete.has(object),
    done: object => {
      done.push(object);
    },
  };

  async function* parseAs(kind: string, format: string, input: Readable) {
    parses.formats.add(`${kind} ${format}`);
    parses.open++;
    parses.mostOpen = Math.max(parses.mostOpen, parses.open);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of input) chunks.push(chunk);
      let log: { Records: any[] };
      try {
        log = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        throw new SourceParseError(format, 'line 1', 'is not valid JSON');
      }
      for (const r of log.Records) {
        yield {
          eventId: r.eventID,
          provider: 'aws' as const,
          externalId: r.userIdentity?.accessKeyId,
          principal: r.userIdentity?.arn,
          occurredAt: r.eventTime,
          failed: r.errorCode !== undefined,
        };
      }
    } finally {
      parses.open--;
    }
  }

  const silent: LoggerService = {
    error() {},
    warn() {},
    info() {},
    debug() {},
    child: () => silent,
  };
  const options: ConnectorReadOptions = {
    settings,
    logger: silent,
    signal: new AbortController().signal,
    warn: w => warnings.push(w),
    scopes: {
      read: scope => scopes.read.push(scope),
      failed: (scope, error) =>
        scopes.failed.push([scope, (error as Error).message]),
    },
    logObjects,
    parseAs: parseAs as unknown as ConnectorReadOptions['parseAs'],
  };
  return { options, asked, done, scopes, warnings, parses };
}

/** Everything a usage connector yields in one read. */
export async function readAll(
  connector: NhiConnector,
  options: ConnectorReadOptions,
): Promise<ObjectUsageObservation[]> {
  if (connector.kind !== 'usage') throw new Error('not a usage connector');
  const all: ObjectUsageObservation[] = [];
  for await (const observation of connector.read(options)) {
    all.push(observation);
  }
  return all;
}

/** The objects in the order their records came, each once: a repeat means interleaving. */
export const objectRuns = (observations: ObjectUsageObservation[]) =>
  observations
    .map(o => o.object)
    .filter((object, i, all) => i === 0 || object !== all[i - 1]);
