import { EVIDENCE_FILES } from '@nhi-governance/plugin-nhi-common';
import { createHash } from 'crypto';
import { once } from 'events';
import type { NhiStores } from '../database/NhiStores';
import { canonicalJson } from '../ledger/canonicalJson';
import { LedgerSlice, PeriodBounds } from './store/EvidenceStore';
import { PackageZip, addStreamEntry } from './packageZip';

/** A ledger row as its canonical JSON line: exactly what its hash was computed over, and more. */
const ledgerLine = (row: any) =>
  `${canonicalJson({
    seq: Number(row.seq),
    recordedAt: row.recorded_at,
    kind: row.kind,
    ...(row.subject ? { subject: row.subject } : {}),
    payload: JSON.parse(row.payload),
    prevHash: row.prev_hash,
    hash: row.hash,
  })}\n`;

async function* ledgerLines(rows: AsyncIterable<any>) {
  for await (const row of rows) yield ledgerLine(row);
}

/** A JSON Lines entry of the ZIP, hashed as written, waiting on the reader. */
async function writeJsonLines(
  z: PackageZip,
  name: string,
  lines: AsyncIterable<string>,
) {
  const entry = addStreamEntry(z, name);
  const hash = createHash('sha256');
  let rows = 0;
  for await (const line of lines) {
    hash.update(line);
    rows++;
    if (!entry.write(line)) await once(entry, 'drain', { signal: z.signal });
  }
  entry.end();
  return { name, sha256: hash.digest('hex'), rows };
}

/** ledger.jsonl: the ledger entries of the period, one canonical JSON object per line, as hashed. */
export function writeLedger(
  z: PackageZip,
  stores: NhiStores,
  slice: LedgerSlice | undefined,
) {
  return writeJsonLines(
    z,
    EVIDENCE_FILES.ledger.name,
    ledgerLines(stores.evidence.ledgerRows(slice)),
  );
}

/** The latest registration of each identity of the period before entry `firstSeq`, 500 at a time. */
async function* registrations(
  stores: NhiStores,
  bounds: PeriodBounds,
  firstSeq: number,
) {
  let batch: string[] = [];
  const flush = async function* flushBatch() {
    for (const row of await stores.evidence.registrationEntries(
      batch,
      firstSeq,
    )) {
      yield ledgerLine(row);
    }
    batch = [];
  };
  for await (const { ref } of stores.evidence.inventoryRefs(bounds)) {
    batch.push(ref);
    if (batch.length === 500) yield* flush();
  }
  yield* flush();
}

/** ledger-identities.jsonl: what the ledger said of each identity of the inventory when the period began. */
export function writeLedgerIdentities(
  z: PackageZip,
  stores: NhiStores,
  bounds: PeriodBounds,
  slice: LedgerSlice | undefined,
) {
  return writeJsonLines(
    z,
    EVIDENCE_FILES.ledgerIdentities.name,
    registrations(stores, bounds, slice?.firstInPeriod ?? 1),
  );
}
