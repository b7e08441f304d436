import type { NhiStores } from '../../database/NhiStores';
import type { LeakReport } from '@nhi-governance/plugin-nhi-common';

import { attributeMentions } from '../attribution';

/** Leaks kept per identity; a scan that finds more still opens the finding. */
const LEAKS_KEPT = 20;
const PAGE = 500;

export interface LeakImportResult {
  reports: number;
  /** Reports matched to an identity. */
  matched: number;
  unmatched: number;
  affectedRefs: string[];
}

/**
 * Matches a leak scan's reports to identities (by the key id the scanner publishes, or the
 * principal it verified) and makes them the source's facts: each matched identity gets a
 * secret-leaked finding until its credential is rotated after the leak. A scan replaces what
 * the previous one said, once it was read in full.
 */
export class LeakImporter {
  constructor(private readonly stores: NhiStores) {}

  async import(
    source: { id: string; format: string },
    reports: AsyncIterable<LeakReport>,
    readAt: string,
  ): Promise<LeakImportResult> {
    const before = await this.stores.sourceLinks.readLinkedRefs(source.id);
    const leaks = new Map<string, LeakReport[]>();
    const result: LeakImportResult = {
      reports: 0,
      matched: 0,
      unmatched: 0,
      affectedRefs: [],
    };
    let page: LeakReport[] = [];
    const flush = async () => {
      const refs = await attributeMentions(
        this.stores,
        page.map(r => ({
          ids: [r.keyId, r.principal].filter((v): v is string => !!v),
          principal: r.principal,
        })),
        'all',
      );
      page.forEach((report, i) => {
        if (!refs[i].length) result.unmatched++;
        else result.matched++;
        for (const ref of refs[i]) {
          const list = leaks.get(ref) ?? [];
          if (list.length < LEAKS_KEPT) list.push(report);
          leaks.set(ref, list);
        }
      });
      page = [];
    };
    for await (const report of reports) {
      result.reports++;
      page.push(report);
      if (page.length === PAGE) await flush();
    }
    await flush();
    await this.stores.transaction(async trx => {
      await trx.sourceLinks.clearSourceLinks(source.id);
      await trx.sourceLinks.writeSourceLinks(
        source.id,
        [...leaks].map(([ref, found]) => ({
          identityRef: ref,
          facts: {
            sourceId: source.id,
            format: source.format,
            readAt,
            leaks: found,
          },
        })),
      );
    });
    result.affectedRefs = [...new Set([...before, ...leaks.keys()])].sort();
    return result;
  }
}
