import type { AwsCloudTrailS3Settings } from './settings';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Where a trail's logs start in its bucket: `[<prefix>/]AWSLogs/`, then the organisation's id
 * for an organisation trail. Each account's folder is under it.
 */
export function accountsRoot(settings: AwsCloudTrailS3Settings): string {
  const prefix = settings.prefix ? `${settings.prefix}/` : '';
  const organization = settings.organizationId
    ? `${settings.organizationId}/`
    : '';
  return `${prefix}AWSLogs/${organization}`;
}

/**
 * The folders of one account to list, as CloudTrail delivers to them
 * (`.../<account>/CloudTrail/<region>/YYYY/MM/DD/`), in the bucket's key order: region by
 * region, oldest day first, so that the objects are read in key order too.
 */
export function dayFolders(
  settings: AwsCloudTrailS3Settings,
  account: string,
  now: Date,
): string[] {
  const root = `${accountsRoot(settings)}${account}/CloudTrail/`;
  const days: string[] = [];
  for (let back = settings.days - 1; back >= 0; back--) {
    // CloudTrail names the folders by the UTC day it delivered the object.
    days.push(
      new Date(now.getTime() - back * DAY_MS)
        .toISOString()
        .slice(0, 10)
        .replace(/-/g, '/'),
    );
  }
  return [...new Set(settings.regions)]
    .sort()
    .flatMap(region => days.map(day => `${root}${region}/${day}/`));
}

/** A log object CloudTrail delivers; digests and anything else put in the folder are not. */
export const isLogObject = (key: string) => key.endsWith('.json.gz');
