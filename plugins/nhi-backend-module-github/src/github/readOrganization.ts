import { Readable } from 'stream';
import type { Octokit } from '@octokit/rest';
import type { DiscoveredCredential } from '@nhi-governance/plugin-nhi-common';
import type { ConnectorReadOptions } from '@nhi-governance/plugin-nhi-node';
import type { GithubList } from './settings';

/** Each list: its endpoint, the built-in file format its answer is, and its page as a file. */
const LISTS: Record<
  GithubList,
  { route: string; format: string; page: (items: unknown[]) => unknown }
> = {
  'personal-access-tokens': {
    route: 'GET /orgs/{org}/personal-access-tokens',
    format: 'github-personal-access-tokens',
    page: items => items,
  },
  'app-installations': {
    route: 'GET /orgs/{org}/installations',
    format: 'github-app-installations',
    // Octokit unwraps { total_count, installations }; the format reads GitHub's own shape.
    page: items => ({ total_count: items.length, installations: items }),
  },
};

/** The request a list makes, as an error names it. */
export const requestOf = (list: GithubList, org: string) =>
  LISTS[list].route.replace('{org}', org);

/**
 * One list of one organisation, every page, read by the same parser as the file `gh api
 * --paginate` would print: one JSON document per page, one after the other. A page is fetched
 * when the parser has read the one before, so a large organisation is never held in memory.
 */
export async function* readList(
  octokit: Octokit,
  org: string,
  list: GithubList,
  read: Pick<ConnectorReadOptions, 'parseAs'>,
): AsyncGenerator<DiscoveredCredential> {
  const { route, format, page } = LISTS[list];
  async function* pages() {
    for await (const response of octokit.paginate.iterator(route, {
      org,
      per_page: 100,
    })) {
      yield JSON.stringify(page(response.data as unknown[]));
    }
  }
  for await (const credential of read.parseAs(
    'credentials',
    format,
    Readable.from(pages(), { highWaterMark: 1 }),
  )) {
    yield {
      ...credential,
      // An installation's tokens are minted and used out of sight of this API.
      ...(list === 'app-installations' ? { usageUnknown: true } : {}),
      scope: org,
    };
  }
}
