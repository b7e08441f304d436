import { createHash, Hash } from 'crypto';
import { basename } from 'path';
import type { Readable } from 'stream';
import { parse } from 'csv-parse';
import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import type { Entry } from 'yauzl';
import { canonicalJson } from './ledger/canonicalJson';
import { hashEntry, verifyChain } from './ledger/chain';
import type { LedgerEntry } from './ledger/types';
import { CSV_CHECKS, CheckContext, CsvCheck } from './checks';
import { LedgerIndex, REGISTRATION_KINDS } from './ledgerIndex';
import { drain, linesOf, readAll } from './lines';
import { PackageManifest, dayStart, readManifest } from './manifest';
import type {
  VerifyFailure,
  VerifyOptions,
  VerifyResult,
  VerifySummary,
} from './types';
import { ZipReader, openZip } from './zip';

const MANIFEST = EVIDENCE_FILES.manifest.name;
const LEDGER = EVIDENCE_FILES.ledger.name;
const IDENTITIES = EVIDENCE_FILES.ledgerIdentities.name;
/** The files every package of this format holds. */
const REQUIRED = Object.values(EVIDENCE_FILES)
  .filter(f => f.required)
  .map(f => f.name);
const DAY_MS = 86_400_000;
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
/** Past this many failures in one file, the rest are counted, not listed. */
const MAX_FAILURES_PER_FILE = 100;
const ENTRY_MEMBERS = new Set([
  'seq',
  'recordedAt',
  'kind',
  'subject',
  'payload',
  'prevHash',
  'hash',
]);

const message = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

const isRecord = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A line of a JSON Lines ledger file as an entry, or what is wrong with it. */
function parseEntry(text: string): LedgerEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  if (!isRecord(value)) return 'is not a JSON object';
  const extra = Object.keys(value).filter(k => !ENTRY_MEMBERS.has(k));
  if (extra.length) {
    return `carries ${extra.join(', ')}, outside what its hash covers`;
  }
  const { seq, recordedAt, kind, subject, payload, prevHash, hash } = value;
  if (
    !Number.isSafeInteger(seq) ||
    seq < 1 ||
    typeof recordedAt !== 'string' ||
    typeof kind !== 'string' ||
    (subject !== undefined && typeof subject !== 'string') ||
    !isRecord(payload) ||
    typeof prevHash !== 'string' ||
    typeof hash !== 'string'
  ) {
    return 'is not a ledger entry (seq, recordedAt, kind, subject, payload, prevHash, hash)';
  }
  return value as LedgerEntry;
}

/** The failures found so far, at most a hundred listed per file. */
class Failures {
  readonly list: VerifyFailure[] = [];
  private readonly perFile = new Map<string, number>();

  add = (failure: VerifyFailure, at = this.list.length) => {
    const count = (this.perFile.get(failure.file) ?? 0) + 1;
    this.perFile.set(failure.file, count);
    if (count <= MAX_FAILURES_PER_FILE) this.list.splice(at, 0, failure);
  };

  /** The list, with a line for each file whose failures were not all listed. */
  done(): VerifyFailure[] {
    for (const [file, count] of this.perFile) {
      if (count > MAX_FAILURES_PER_FILE) {
        this.list.push({
          file,
          reason: `${
            count - MAX_FAILURES_PER_FILE
          } more failures in this file, not listed`,
        });
      }
    }
    return this.list;
  }
}

/** One package being verified: its manifest, what was read of its ledger, and the failures. */
class PackageVerification {
  readonly index = new LedgerIndex();
  readonly checked = {
    identities: 0,
    decisions: 0,
    exceptions: 0,
    approvals: 0,
    findings: 0,
    events: 0,
  };
  /** The identities of inventory.csv, for the checks of the files after it. */
  private readonly inventory = new Set<string>();
  private readonly from: number;
  private readonly to: number;
  /** Whether ledger.jsonl was read whole, and so the cross-checks can rely on the index. */
  private ledgerRead = false;
  private identitiesRead = false;
  /** The last entry of ledger.jsonl read so far. */
  private lastEntry?: LedgerEntry;
  /** The entry just before the period, that the slice starts from (when the slice has one). */
  private anchor?: LedgerEntry;
  /** The last seq before the period: ledger-identities.jsonl holds nothing after it. */
  private beforePeriodSeq?: number;
  ledgerEntries = 0;
  ledgerFirstSeq?: number;
  ledgerLastSeq?: number;
  identityEntries = 0;

  constructor(
    private readonly zip: ZipReader,
    private readonly manifest: PackageManifest,
    private readonly failures: Failures,
  ) {
    this.from = dayStart(manifest.period.from);
    this.to = dayStart(manifest.period.to) + DAY_MS;
  }

  private fail = (failure: VerifyFailure, at?: number) =>
    this.failures.add(failure, at);

  async run(entries: Map<string, Entry>) {
    const listed = new Map(this.manifest.files.map(f => [f.name, f]));
    for (const name of REQUIRED) {
      if (!listed.has(name)) {
        this.fail({
          file: name,
          reason: `not listed in the manifest: every ${this.manifest.format} package holds it`,
        });
      }
    }
    for (const f of this.manifest.files) {
      if (f.name === MANIFEST) {
        this.fail({ file: MANIFEST, reason: 'lists itself among the files' });
      } else if (!entries.has(f.name)) {
        this.fail({
          file: f.name,
          reason: 'listed in the manifest but missing from the package',
        });
      }
    }
    for (const name of entries.keys()) {
      if (name !== MANIFEST && !listed.has(name)) {
        this.fail({
          file: name,
          reason: 'in the package but not listed in the manifest',
        });
      }
    }
    // The ledger first: the other files are checked against what it says.
    const order = [
      LEDGER,
      IDENTITIES,
      ...this.manifest.files
        .map(f => f.name)
        .filter(n => n !== LEDGER && n !== IDENTITIES && n !== MANIFEST),
    ];
    for (const name of order) {
      const file = listed.get(name);
      const entry = entries.get(name);
      if (file && entry) await this.readFile(file, entry);
    }
  }

  /** Reads one listed file, streaming, with its checks; then compares its hash and rows. */
  private async readFile(
    file: PackageManifest['files'][number],
    entry: Entry,
  ): Promise<void> {
    const hash = createHash('sha256');
    const at = this.failures.list.length;
    let rows: number | undefined;
    try {
      const stream = await this.zip.open(entry);
      if (file.name === LEDGER) {
        rows = await this.readLedger(stream, hash);
      } else if (file.name === IDENTITIES) {
        rows = await this.readIdentities(stream, hash);
      } else if (file.name.endsWith('.csv')) {
        const check =
          this.ledgerRead && CSV_CHECKS[file.name]
            ? CSV_CHECKS[file.name](this.checkContext())
            : undefined;
        rows = await this.readCsv(file.name, stream, hash, check);
      } else if (file.name.endsWith('.jsonl')) {
        rows = 0;
        for await (const _line of linesOf(stream, hash)) rows++;
      } else {
        await drain(stream, hash);
      }
    } catch (error) {
      this.fail({
        file: file.name,
        reason: `cannot be read: ${message(error)}`,
      });
      return;
    }
    const sha256 = hash.digest('hex');
    if (sha256 !== file.sha256) {
      // Reported first among the file's failures: the others say what changed.
      this.fail(
        {
          file: file.name,
          reason: `SHA-256 ${sha256} does not match the manifest's ${file.sha256}: the file was changed after the package was written`,
        },
        at,
      );
    }
    if (rows !== undefined && file.rows !== undefined && rows !== file.rows) {
      this.fail({
        file: file.name,
        reason: `holds ${rows} rows where the manifest lists ${file.rows}`,
      });
    }
  }

  private checkContext(): CheckContext {
    return {
      index: this.index,
      identitiesRead: this.identitiesRead,
      from: this.from,
      to: this.to,
      fail: this.fail,
      inventory: this.inventory,
      checked: this.checked,
    };
  }

  /**
   * ledger.jsonl: a contiguous slice of the ledger whose first entry is the anchor, the one
   * just before the period (unless the period starts at the ledger's first entry). The chain
   * is recomputed from the anchor; the entries are indexed for the CSV checks as they pass.
   */
  private async readLedger(stream: Readable, hash: Hash): Promise<number> {
    const lines = { count: 0 };
    const parsed = this.ledgerEntriesOf(stream, hash, lines)[
      Symbol.asyncIterator
    ]();
    const first = await parsed.next();
    if (!first.done) {
      const firstEntry = first.value;
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
    if (this.ledgerEntries === 0) {
      // No entry in or after the period: every earlier one is before it.
      this.beforePeriodSeq = this.manifest.ledgerHead?.seq;
    }
    this.checkSliceEnd();
    this.ledgerRead = true;
    return lines.count;
  }

  /**
   * The slice must reach past the period (an entry recorded after it) or up to the head the
   * manifest records: otherwise entries of the period may have been cut from its end.
   */
  private checkSliceEnd() {
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
    if (Date.parse(last.recordedAt) >= this.to || last.seq === head?.seq) {
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
  private async *ledgerEntriesOf(
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
      this.onLedgerEntry(entry);
      yield entry;
    }
  }

  private onLedgerEntry(entry: LedgerEntry) {
    const head = this.manifest.ledgerHead;
    const recordedAt = Date.parse(entry.recordedAt);
    let isAnchor = false;
    if (this.ledgerEntries === 0) {
      // Entry 1 starts the slice without an anchor when it was recorded in the period.
      isAnchor = !(entry.seq === 1 && recordedAt >= this.from);
      if (isAnchor) this.anchor = entry;
      this.beforePeriodSeq = isAnchor ? entry.seq : entry.seq - 1;
      this.ledgerFirstSeq = entry.seq;
      if (isAnchor && recordedAt >= this.from) {
        this.fail({
          file: LEDGER,
          seq: entry.seq,
          reason: `ledger.jsonl starts at entry ${entry.seq}, recorded at ${entry.recordedAt} within the period: the entries before it, back to one recorded before the period, are missing`,
        });
      }
    }
    this.lastEntry = entry;
    this.ledgerEntries++;
    this.ledgerLastSeq = entry.seq;
    if (Number.isNaN(recordedAt)) {
      this.fail({
        file: LEDGER,
        seq: entry.seq,
        reason: `entry ${entry.seq} has no time: recordedAt ${JSON.stringify(
          entry.recordedAt,
        )}`,
      });
    }
    if (head && entry.seq === head.seq && entry.hash !== head.hash) {
      this.fail({
        file: LEDGER,
        seq: entry.seq,
        reason: `entry ${entry.seq} has hash ${entry.hash}, but the manifest's ledgerHead records ${head.hash} for it`,
      });
    }
    const problem = this.index.add(
      entry,
      !isAnchor && recordedAt >= this.from && recordedAt < this.to,
    );
    if (problem) this.fail({ file: LEDGER, seq: entry.seq, reason: problem });
  }

  /**
   * ledger-identities.jsonl: for each identity of the inventory, the latest entry that
   * registered or changed it before the period. Each proves itself by its hash.
   */
  private async readIdentities(stream: Readable, hash: Hash): Promise<number> {
    let line = 0;
    for await (const text of linesOf(stream, hash)) {
      line++;
      const entry = parseEntry(text);
      if (typeof entry === 'string') {
        this.fail({ file: IDENTITIES, line, reason: `line ${line} ${entry}` });
        continue;
      }
      this.identityEntries++;
      const fail = (reason: string) =>
        this.fail({ file: IDENTITIES, seq: entry.seq, reason });
      if (hashEntry(entry) !== entry.hash) {
        fail(
          `entry ${entry.seq} was changed after it was written: its hash does not match its content`,
        );
      } else if (!REGISTRATION_KINDS.has(entry.kind) || !entry.subject) {
        fail(
          `entry ${entry.seq} is ${entry.kind}, not an identity.registered or identity.changed entry with a subject`,
        );
      } else if (
        this.beforePeriodSeq !== undefined &&
        entry.seq > this.beforePeriodSeq
      ) {
        fail(
          `entry ${entry.seq} is not before the period, whose ledger starts after entry ${this.beforePeriodSeq}`,
        );
      } else if (
        this.anchor &&
        entry.seq === this.anchor.seq &&
        entry.hash !== this.anchor.hash
      ) {
        fail(
          `entry ${entry.seq} is not the entry ${entry.seq} that ledger.jsonl starts from`,
        );
      } else {
        this.index.registered.add(entry.subject);
      }
    }
    this.identitiesRead = true;
    return line;
  }

  /**
   * A CSV file, parsed as it streams, each row checked and let go. The bytes are hashed as
   * read, all of them, even past a row that does not parse.
   */
  private async readCsv(
    name: string,
    stream: Readable,
    hash: Hash,
    check?: CsvCheck,
  ): Promise<number | undefined> {
    let rows = 0;
    let header: string[] | undefined;
    let broken = false;
    let checking = !!check;
    const parser = parse({
      bom: true,
      columns: (names: string[]) => {
        header = names;
        const missing = (check?.columns ?? []).filter(c => !names.includes(c));
        if (missing.length) {
          checking = false;
          this.fail({
            file: name,
            reason: `has no column ${missing.join(
              ', ',
            )}, so its rows cannot be checked`,
          });
        }
        return names;
      },
    });
    parser.on('data', (cells: Record<string, string>) => {
      rows++;
      if (checking) check!.row(cells, rows);
    });
    parser.on('error', error => {
      broken = true;
      this.fail({
        file: name,
        row: rows + 1,
        reason: `is not valid CSV: ${message(error)}`,
      });
    });
    /** Until the parser drained, ended or failed. */
    const settled = (event: 'drain' | 'end') =>
      new Promise<void>(resolve => {
        const done = () => {
          parser.off(event, done);
          parser.off('error', done);
          resolve();
        };
        parser.on(event, done);
        parser.on('error', done);
      });
    for await (const chunk of stream) {
      hash.update(chunk);
      if (!broken && !parser.write(chunk)) await settled('drain');
    }
    if (!broken) {
      const ended = settled('end');
      parser.end();
      await ended;
    }
    if (broken) return undefined;
    if (!header && check) {
      this.fail({ file: name, reason: 'is empty: it has not even a header' });
    } else if (checking) {
      check!.end?.();
    }
    return rows;
  }
}

/**
 * Verifies an evidence package offline: every file the manifest lists is there, unchanged,
 * and nothing else; the package hash; the ledger slice as a hash chain from its anchor; the
 * identities' registrations; and every decision of the CSV files against the ledger entry
 * that recorded it (and every decision the ledger recorded in the period against the files).
 * The ZIP is read one file at a time, each as a stream: of the ledger, only the decisions
 * and the registered identities are kept.
 */
export async function verifyPackage(
  source: string | Buffer,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const failures = new Failures();
  let zip: ZipReader;
  try {
    zip = await openZip(source);
  } catch (error) {
    return {
      ok: false,
      failures: [
        {
          file: typeof source === 'string' ? basename(source) : 'package',
          reason: `is not a readable ZIP: ${message(error)}`,
        },
      ],
    };
  }
  try {
    const summary = await verifyOpened(zip, failures, options);
    const list = failures.done();
    if (list.length || !summary) return { ok: false, failures: list };
    return { ok: true, summary };
  } finally {
    zip.close();
  }
}

async function verifyOpened(
  zip: ZipReader,
  failures: Failures,
  options: VerifyOptions,
): Promise<VerifySummary | undefined> {
  const entries = new Map<string, Entry>();
  for (const entry of zip.entries) {
    if (entries.has(entry.fileName)) {
      failures.add({
        file: entry.fileName,
        reason: 'is in the package more than once',
      });
    } else {
      entries.set(entry.fileName, entry);
    }
  }
  const manifestEntry = entries.get(MANIFEST);
  if (!manifestEntry) {
    failures.add({
      file: MANIFEST,
      reason: 'missing: without it nothing in the package can be verified',
    });
    return undefined;
  }
  if (manifestEntry.uncompressedSize > MAX_MANIFEST_BYTES) {
    failures.add({ file: MANIFEST, reason: 'is too large to be a manifest' });
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(
      (await readAll(await zip.open(manifestEntry))).toString('utf8'),
    );
  } catch (error) {
    failures.add({
      file: MANIFEST,
      reason: `cannot be read as JSON: ${message(error)}`,
    });
    return undefined;
  }
  const manifest = readManifest(value, failures.add);
  if (!manifest) return undefined;

  // Over everything the manifest says but the hash itself: the period, the ledger head, the
  // policy and each file's hash.
  const { packageHash: _claimed, ...unsigned } = value as Record<
    string,
    unknown
  >;
  const packageHash = createHash('sha256')
    .update(canonicalJson(unsigned))
    .digest('hex');
  if (packageHash !== manifest.packageHash) {
    failures.add({
      file: MANIFEST,
      reason: `packageHash ${manifest.packageHash} is not the hash of the rest of the manifest (${packageHash}): the manifest was changed after it was written`,
    });
  }
  if (
    options.expectPackageHash !== undefined &&
    options.expectPackageHash !== manifest.packageHash
  ) {
    failures.add({
      file: MANIFEST,
      reason: `packageHash ${manifest.packageHash} is not the expected ${options.expectPackageHash}, the hash the portal recorded when it exported the package`,
    });
  }

  const verification = new PackageVerification(zip, manifest, failures);
  await verification.run(entries);
  return {
    format: manifest.format,
    period: manifest.period,
    generatedAt: manifest.generatedAt,
    generatedBy: manifest.generatedBy,
    packageHash: manifest.packageHash,
    ledgerHead: manifest.ledgerHead,
    files: manifest.files.length,
    ledgerEntries: verification.ledgerEntries,
    ledgerFirstSeq: verification.ledgerFirstSeq,
    ledgerLastSeq: verification.ledgerLastSeq,
    identityEntries: verification.identityEntries,
    checked: verification.checked,
  };
}
