import type { PermissionCriteria } from '@backstage/plugin-permission-common';
import type {
  IdentityDetailsResponse,
  IdentityView,
} from '@nhi-governance/plugin-nhi-common';
import type { DateTime } from 'luxon';
import type { NhiStores } from '../database/NhiStores';
import type { IdentityQuery } from '../permissions/identityResource';
import type { IdentityFilter, IdentityPage } from './store/IdentityQueryStore';
import { toView } from './toView';

type IdentityStores = Pick<
  NhiStores,
  'identities' | 'identityQueries' | 'eventHistory' | 'ledger' | 'sourceLinks'
>;

/** How an entity holds identities: a group owns them, a system contains them, the rest use them. */
export function attachedTo(kind: string, entityRef: string): IdentityFilter {
  switch (kind.toLocaleLowerCase('en-US')) {
    case 'group':
    case 'user':
      return { owner: [entityRef] };
    case 'system':
      return { system: [entityRef] };
    default:
      return { usedBy: [entityRef] };
  }
}

/** What owners and security read about identities: lists, and one identity in full. */
export class IdentityService {
  constructor(private readonly stores: IdentityStores) {}

  list(
    filter: IdentityFilter,
    page: IdentityPage,
    visible?: PermissionCriteria<IdentityQuery>,
  ) {
    return this.stores.identityQueries.listIdentities(filter, page, visible);
  }

  /** One identity with its history, ledger and sources; undefined when it is not there to read. */
  async details(
    ref: string,
    canRead: (identity: IdentityView) => boolean,
    now: DateTime,
  ): Promise<IdentityDetailsResponse | undefined> {
    const stored = await this.stores.identities.readIdentity(ref);
    const identity = stored && toView(stored);
    if (!identity || !canRead(identity)) return undefined;
    const [history, ledger, sources] = await Promise.all([
      this.stores.eventHistory.readIdentityHistory(ref, now),
      this.stores.ledger.readLedgerFor(ref),
      this.stores.sourceLinks.readSourceFacts([ref]),
    ]);
    return {
      identity,
      ...history,
      ledger,
      sources: sources.get(ref)?.facts ?? [],
    };
  }
}
