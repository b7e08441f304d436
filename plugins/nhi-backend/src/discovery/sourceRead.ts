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
  run: { scopes: RunScopes; logObjects: RunLogObjects };
}

/**
 * What earlier runs of a source counted of a tree of log objects, and the objects this run
 * read to their end, passed on to whoever counts them (the usage importer).
 */
export class RunLogObjects implements LogObjectCheckpoints {
  private onDone: (object: string) => void = () => {};

  constructor(
    private readonly stores: NhiStores,
    private readonly sourceId: string,
  ) {}

  lastComplete(prefix: string): Promise<string | undefined> {
    return this.stores.discovery.lastCompleteUsageObject(this.sourceId, prefix);
  }

  async isComplete(object: string): Promise<boolean> {
    const checkpoint = await this.stores.discovery.readUsageCheckpoint(
      this.sourceId,
      object,
    );
    return !!checkpoint?.complete;
  }

  done(object: string): void {
    this.onDone(object);
  }

  /** Who counts the objects: told of each one read to its end. */
  whenDone(listener: (object: string) => void) {
    this.onDone = listener;
  }
}
