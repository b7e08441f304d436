import type { Hash } from 'crypto';
import type { Readable } from 'stream';
import { verifyChain } from './ledger/chain';
import { parseEntry } from './ledger/parseEntry';
import type { LedgerEntry } from './ledger/types';
import type { LedgerCheckpoints } from './checkpoints';
import type { LedgerIndex } from './ledgerIndex';
import { linesOf } from './lines';
import type { PackageManifest } from './manifest';
import { LEDGER } from './packageFiles';
import type { VerifyFailure } from './types';

/**
 * ledger.jsonl: a contiguous slice of the ledger whose first entry is the anchor, the one
 * just before the period (unless the period starts at the ledger's first entry). What was
 * read of it: where it starts and ends, and the entries counted.
 */
export class LedgerSlice {
  /** The entry just before the period, that the slice starts from (when the slice has one). */
  anchor?: LedgerEntry;
  /** The last seq before the period: ledger-identities.jsonl holds nothing after it. */
  beforePeriodSeq?: number;
  entries = 0;
  firstSeq?: number;
  lastSeq?: number;
  /** The last entry read so far. */
  private lastEntry?: LedgerEntry;

  constructor(
    private readonly manifest: PackageManifest,
    private readonly index: LedgerIndex,
    private readonly period: { from: number; to: number },
    private readonly fail: (failure: VerifyFailure) => void,
    private readonly checkpoints?: LedgerCheckpoints,
  ) {}

  /**
   * Reads the slice: the chain is recomputed from the anchor; the entries are indexed for the
   * CSV checks as they pass. Answers the lines read.
   */
  async read(stream: Readable, hash: Hash): Promise<number> {
    const lines = { count: 0 };
    const parsed = this.entriesOf(stream, hash, lines)[Symbol.asyncIterator]();
    const first = await parsed.next();
    if (!first.done) await this.verifyChainFrom(first.value, parsed);
    if (this.entries === 0) {
      // No entry in or after the period: every earlier one is before it.
      this.beforePeriodSeq = this.manifest.ledgerHead?.seq;
    }
    this.checkEnd();
    return lines.count;
  }

  private async verifyChainFrom(
    firstEntry: LedgerEntry,
    parsed: AsyncIterator<LedgerEntry>,
  ) {
    let started = false;
    // verifyChain stops at the first break; the rest is still read below, for its hash and
    // the CSV checks, so the chain sees the entries through a view it cannot close.
    const view: AsyncIterable<LedgerEntry> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => {
          if (started) return parsed.next();
          started = true;
          return { done: false, value: firstEntry };
        },
      }),
    };
    const chain = await verifyChain(view, undefined, {
      seq: firstEntry.seq - 1,
      hash: firstEntry.prevHash,
    });
    if (!chain.ok) {
      this.fail({
        file: LEDGER,
        seq: chain.firstBrokenSeq,
        reason: chain.reason,
      });
    }
    for (let r = await parsed.next(); !r.done; r = await parsed.next());
  }

  /**
   * The slice must reach past the period (an entry recorded after it) or up to the head the
   * manifest records: otherwise entries of the period may have been cut from its end.
   */
  private checkEnd() {
    const head = this.manifest.ledgerHead;
    const last = this.lastEntry;
    if (!last) {
      if (head && head.seq > 0) {
        this.fail({
          file: LEDGER,
          reason: `holds no entry, but the ledger's head was entry ${head.seq}: the slice of the period is missing`,
        });
      }
      return;
    }
    if (
      Date.parse(last.recordedAt) >= this.period.to ||
      last.seq === head?.seq
    ) {
      return;
    }
    this.fail({
      file: LEDGER,
      seq: last.seq,
      reason: `ledger.jsonl ends at entry ${last.seq}, recorded at ${
        last.recordedAt
      } within the period, ${
        head
          ? `but the ledger's head was entry ${head.seq}`
          : 'and the manifest records no ledger head'
      }: the entries after it are missing`,
    });
  }

  /** The entries of ledger.jsonl, each checked and indexed as it passes. */
  private async *entriesOf(
    stream: Readable,
    hash: Hash,
    lines: { count: number },
  ): AsyncGenerator<LedgerEntry> {
    for await (const text of linesOf(stream, hash)) {
      const line = ++lines.count;
      const entry = parseEntry(text);
      if (typeof entry === 'string') {
        this.fail({ file: LEDGER, line, reason: `line ${line} ${entry}` });
        continue;
      }
      this.onEntry(entry);
      yield entry;
    }
  }

  private onEntry(entry: LedgerEntry) {
    const recordedAt = Date.parse(entry.recordedAt);
    const isAnchor = this.entries === 0 && this.onFirstEntry(entry, recordedAt);
    this.lastEntry = entry;
    this.entries++;
    this.checkpoints?.onEntry(entry);
    this.lastSeq = entry.seq;
    if (Number.isNaN(recordedAt)) {
      this.fail({
        file: LEDGER,
        seq: entry.seq,
        reason: `entry ${entry.seq} has no time: recordedAt ${JSON.stringify(
          entry.recordedAt,
        )}`,
      });
    }
    const head = this.manifest.ledgerHead;
    if (head && entry.seq === head.seq && entry.hash !== head.hash) {
      this.fail({
        file: LEDGER,
        seq: entry.seq,
        reason: `entry ${entry.seq} has hash ${entry.hash}, but the manifest's ledgerHead records ${head.hash} for it`,
      });
    }
    // The anchor is before the period, yet part of the state the period ends with.
    const problem = this.index.add(
      entry,
      !isAnchor &&
        recordedAt >= this.period.from &&
        recordedAt < this.period.to,
      recordedAt < this.period.to,
    );
    if (problem) this.fail({ file: LEDGER, seq: entry.seq, reason: problem });
  }

  /** Where the slice starts; answers whether its first entry is the anchor. */
  private onFirstEntry(entry: LedgerEntry, recordedAt: number): boolean {
    // Entry 1 starts the slice without an anchor when it was recorded in the period.
    const isAnchor = !(entry.seq === 1 && recordedAt >= this.period.from);
    if (isAnchor) this.anchor = entry;
    this.beforePeriodSeq = isAnchor ? entry.seq : entry.seq - 1;
    this.firstSeq = entry.seq;
    if (isAnchor && recordedAt >= this.period.from) {
      this.fail({
        file: LEDGER,
        seq: entry.seq,
        reason: `ledger.jsonl starts at entry ${entry.seq}, recorded at ${entry.recordedAt} within the period: the entries before it, back to one recorded before the period, are missing`,
      });
    }
    return isAnchor;
  }
}
