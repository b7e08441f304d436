import type { Writable } from 'stream';
import type { NhiStores } from '../database/NhiStores';
import { DateTime } from 'luxon';
import { InputError, NotFoundError } from '@backstage/errors';
import { SingleFlight } from '../jobs/SingleFlight';

import type { EvidenceExportRecord } from '@nhi-governance/plugin-nhi-common';

import type { Policy } from '../policy/Policy';
import type { CheckpointSigner } from '../ledger/checkpoints/CheckpointSigner';
import {
  EvidencePeriod,
  PackageManifest,
  PackageMeta,
  writeEvidencePackage,
} from './writeEvidencePackage';

/** What an export covers: a period of whole days, or the days a campaign ran. */
export type EvidenceScope = { from: string; to: string } | { campaign: string };

/** The period an export covers, and the campaign it was taken from, if it was. */
export interface ScopedPeriod {
  period: EvidencePeriod;
  campaign?: { id: string; period: string };
}

/** The longest period one package covers: an audit year with room on either side. */
const MAX_DAYS = 800;

/**
 * Exports the SOC 2 evidence package of a period and records the export itself in the ledger:
 * who exported, which period, and the package's hash.
 */
export class EvidenceService {
  private readonly flights: SingleFlight;

  constructor(
    private readonly stores: NhiStores,
    private readonly policy: Policy,
    flights?: SingleFlight,
    /** Signs the ledger head each package covers, when a signing key is configured. */
    private readonly signer?: CheckpointSigner,
  ) {
    this.flights = flights ?? new SingleFlight(stores.leases);
  }

  /** The period asked for, checked: real dates, in order, not in the future, not too long. */
  async periodOf(scope: EvidenceScope, now: DateTime): Promise<ScopedPeriod> {
    if ('campaign' in scope) {
      const campaign = await this.stores.campaigns.readCampaign(scope.campaign);
      if (!campaign) throw new NotFoundError(`No campaign ${scope.campaign}`);
      if (!campaign.openedAt) {
        throw new InputError(`campaign ${scope.campaign} was never opened`);
      }
      const end = campaign.closedAt ?? campaign.cancelledAt ?? now.toISO()!;
      return {
        period: { from: campaign.openedAt.slice(0, 10), to: end.slice(0, 10) },
        campaign: { id: campaign.id, period: campaign.period },
      };
    }
    const from = DateTime.fromISO(scope.from, { zone: 'utc' });
    const to = DateTime.fromISO(scope.to, { zone: 'utc' });
    if (to < from) throw new InputError('to must not be before from');
    if (to.diff(from, 'days').days > MAX_DAYS) {
      throw new InputError(`the period must be at most ${MAX_DAYS} days`);
    }
    if (from > now) throw new InputError('from must not be in the future');
    return { period: { from: scope.from, to: scope.to } };
  }

  async export(
    { period, campaign }: ScopedPeriod,
    out: Writable,
    exportedBy: string,
    now: DateTime,
  ): Promise<PackageManifest> {
    // One export at a time across replicas: each holds a snapshot and a stream for minutes.
    // Refused before the first byte is written, so the caller still gets a plain 409.
    return this.flights.run('evidence-export', 'An evidence export', () =>
      this.write({ period, campaign }, out, exportedBy, now),
    );
  }

  private async write(
    { period, campaign }: ScopedPeriod,
    out: Writable,
    exportedBy: string,
    now: DateTime,
  ): Promise<PackageManifest> {
    const at = now.toUTC().toISO()!;
    // The export is on the record before the package's last bytes leave: whoever holds a
    // complete package finds it among the past exports.
    return writeEvidencePackage(
      this.stores,
      period,
      out,
      {
        generatedAt: at,
        generatedBy: exportedBy,
        policy: this.policy,
        campaign,
        signHead: this.signHeadWith(now),
      },
      async manifest => {
        await this.stores.transaction(trx =>
          trx.ledger.appendLedgerEntries(
            [
              {
                kind: 'evidence.exported',
                payload: {
                  period,
                  ...(campaign ? { campaign: campaign.id } : {}),
                  exportedBy,
                  packageHash: manifest.packageHash,
                  ledgerHead: manifest.ledgerHead,
                  files: manifest.files,
                },
              },
            ],
            // Recorded when appended, after a read that may have taken minutes: the ledger's
            // times then follow its order.
            DateTime.utc().toISO()!,
          ),
        );
      },
    );
  }

  /** A checkpoint of the head the package is read at, signed and kept before it is read on. */
  private signHeadWith(now: DateTime): PackageMeta['signHead'] {
    const signer = this.signer;
    if (!signer) return undefined;
    return async head => {
      const signed = await signer.sign(now, head);
      return {
        note: signed.note,
        publicKeyFingerprint: signer.publicKeyFingerprint,
        verifierKey: signer.verifierKey,
      };
    };
  }

  /** The packages exported so far, newest first, as their ledger entries recorded them. */
  async listExports(limit: number): Promise<EvidenceExportRecord[]> {
    const rows = await this.stores.evidence.evidenceExportEntries(limit);
    return rows.map(row => {
      const p = JSON.parse(row.payload);
      return {
        seq: Number(row.seq),
        exportedAt: row.recorded_at,
        exportedBy: p.exportedBy,
        period: p.period,
        ...(p.campaign ? { campaign: p.campaign } : {}),
        packageHash: p.packageHash,
        ledgerHead: p.ledgerHead,
        files: p.files,
      };
    });
  }
}
