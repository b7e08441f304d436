import type { Readable } from 'stream';
import type {
  LogObjectCheckpoints,
  WarnFn,
} from '@nhi-governance/plugin-nhi-node';
import type { NhiStores } from '../database/NhiStores';
import type { RunScopes } from './RunScopes';

/** One read of a source as its parser and importers see it. */
export interface SourceRead {
  input: Readable;
  counter: { rows: number };
  warn: WarnFn;
  run: { scopes: RunScopes; logObjects: LogObjectCheckpoints };
}

/** What earlier runs of a source counted of a tree of log objects. */
export function logObjectCheckpoints(
  stores: NhiStores,
  sourceId: string,
): LogObjectCheckpoints {
  return {
    lastComplete: prefix =>
      stores.discovery.lastCompleteUsageObject(sourceId, prefix),
    isComplete: async object =>
      !!(await stores.discovery.readUsageCheckpoint(sourceId, object))
        ?.complete,
  };
}
