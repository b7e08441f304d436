import { createHash } from 'crypto';
import type { Readable } from 'stream';
import type { Hash } from 'crypto';
import type { Entry } from 'yauzl';
import { CSV_CHECKS, CheckContext, NotCheckedRows } from './checks';
import { LedgerCheckpoints } from './checkpoints';
import type { Failures } from './failures';
import { LedgerIndex } from './ledgerIndex';
import { LedgerSlice } from './ledgerSlice';
import { drain, linesOf } from './lines';
import { PackageManifest, dayStart } from './manifest';
import { IDENTITIES, LEDGER, MANIFEST, REQUIRED } from './packageFiles';
import { readCsv } from './readCsv';
import { readIdentities } from './readIdentities';
import type { VerifyFailure, VerifyOptions } from './types';
import { errorMessage } from './values';
import type { ZipReader } from './zip';

const DAY_MS = 86_400_000;

type ListedFile = PackageManifest['files'][number];

/** One package being verified: its manifest, what was read of its ledger, and the failures. */
export class PackageVerification {
  readonly index = new LedgerIndex();
  readonly checked = {
    identities: 0,
    decisions: 0,
    exceptions: 0,
    approvals: 0,
    findings: 0,
    events: 0,
  };
  readonly slice: LedgerSlice;
  readonly notChecked = new NotCheckedRows();
  readonly checkpoints: LedgerCheckpoints;
  identityEntries = 0;
  /** The identities of inventory.csv, for the checks of the files after it. */
  private readonly inventory = new Set<string>();
  private readonly from: number;
  private readonly to: number;
  /** Whether ledger.jsonl was read whole, and so the cross-checks can rely on the index. */
  private ledgerRead = false;
  private identitiesRead = false;

  constructor(
    private readonly zip: ZipReader,
    private readonly manifest: PackageManifest,
    private readonly failures: Failures,
    options: VerifyOptions = {},
  ) {
    this.from = dayStart(manifest.period.from);
    this.to = dayStart(manifest.period.to) + DAY_MS;
    this.checkpoints = new LedgerCheckpoints(options.publicKey, this.fail);
    this.slice = new LedgerSlice(
      manifest,
      this.index,
      { from: this.from, to: this.to },
      this.fail,
      this.checkpoints,
    );
  }

  private fail = (failure: VerifyFailure, at?: number) =>
    this.failures.add(failure, at);

  async run(entries: Map<string, Entry>) {
    const listed = new Map(this.manifest.files.map(f => [f.name, f]));
    this.checkListing(listed, entries);
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

  /** Every required file listed, every listed file there, and nothing else. */
  private checkListing(
    listed: Map<string, ListedFile>,
    entries: Map<string, Entry>,
  ) {
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
  }

  /** Reads one listed file, streaming, with its checks; then compares its hash and rows. */
  private async readFile(file: ListedFile, entry: Entry): Promise<void> {
    const hash = createHash('sha256');
    const at = this.failures.list.length;
    let rows: number | undefined;
    try {
      rows = await this.readContent(
        file.name,
        await this.zip.open(entry),
        hash,
      );
    } catch (error) {
      this.fail({
        file: file.name,
        reason: `cannot be read: ${errorMessage(error)}`,
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

  /** Reads a file's content by its kind, hashing it; answers its rows or lines, if counted. */
  private async readContent(
    name: string,
    stream: Readable,
    hash: Hash,
  ): Promise<number | undefined> {
    if (name === LEDGER) {
      const lines = await this.slice.read(stream, hash);
      this.ledgerRead = true;
      return lines;
    }
    if (name === IDENTITIES) {
      const read = await readIdentities(
        stream,
        hash,
        this.slice,
        this.index,
        this.fail,
      );
      this.identityEntries += read.entries;
      this.identitiesRead = true;
      return read.lines;
    }
    if (name.endsWith('.csv')) {
      const check =
        this.ledgerRead && CSV_CHECKS[name]
          ? CSV_CHECKS[name](this.checkContext())
          : undefined;
      return readCsv(name, stream, hash, this.fail, check);
    }
    if (name.endsWith('.jsonl')) {
      let rows = 0;
      for await (const _line of linesOf(stream, hash)) rows++;
      return rows;
    }
    await drain(stream, hash);
    return undefined;
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
      notChecked: (file, columns, why, row) =>
        this.notChecked.add(file, columns, why, row),
    };
  }
}
