import type { NhiStores } from '../../database/NhiStores';
import { attributeMentions } from '../attribution';
import { USAGE_PROVIDERS } from '../providerFamilies';
import type { UsageAggregate } from './UsageAggregator';

const SEP = '\u0000';
const mentionKey = (a: UsageAggregate) =>
  [a.provider, a.externalId ?? '', a.principal ?? ''].join(SEP);

/**
 * The identity each aggregate is about, looked up once per credential a read meets: a log of
 * millions of records names a few thousand keys.
 */
export class UsageAttribution {
  private readonly known = new Map<string, string | undefined>();

  constructor(private readonly stores: NhiStores) {}

  /** The identity of each aggregate, or undefined where none (or several) could be told. */
  async refsOf(
    aggregates: UsageAggregate[],
  ): Promise<Array<string | undefined>> {
    const unknown = new Map<string, UsageAggregate>();
    for (const a of aggregates) {
      const key = mentionKey(a);
      if (!this.known.has(key) && !unknown.has(key)) unknown.set(key, a);
    }
    const entries = [...unknown.entries()];
    for (let i = 0; i < entries.length; i += 1000) {
      const page = entries.slice(i, i + 1000);
      const refs = await attributeMentions(
        this.stores,
        page.map(([, a]) => ({
          providers: USAGE_PROVIDERS[a.provider],
          ids: [a.externalId, a.principal].filter((v): v is string => !!v),
          principal: a.principal,
        })),
        'single',
      );
      page.forEach(([key], j) => this.known.set(key, refs[j][0]));
    }
    return aggregates.map(a => this.known.get(mentionKey(a)));
  }
}
