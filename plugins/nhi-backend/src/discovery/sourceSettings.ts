import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Duration } from 'luxon';
import { z } from 'zod';
import {
  CREDENTIAL_FORMATS,
  SOURCE_FORMATS,
  SourceFormat,
} from './sourceFormats';

/** One configured source: a documented export format, where to read it, and how often. */
export interface DiscoverySource {
  /** Stable id, named in findings, the ledger and the source-health panel. */
  id: string;
  format: SourceFormat;
  /** A file path, or a URL read through Backstage's UrlReaderService. */
  location: { path: string } | { url: string };
  frequency: Duration;
  /**
   * Credential sources: the declared externalIds this source is the complete record of
   * (prefixes such as `arn:aws:iam::123456789012:`, or `*` for every declared identity of its
   * provider). A declared identity in scope that a complete read does not list is missing at
   * source. Empty: the source never says an identity is missing.
   */
  authoritativeFor?: string[];
}

const source = z
  .strictObject({
    id: z
      .string({ error: 'is required' })
      .regex(
        /^[a-z0-9][a-z0-9-]{0,63}$/,
        'must be lowercase letters, digits and dashes, such as aws-prod-credential-report',
      ),
    format: z.enum(SOURCE_FORMATS, {
      error: `must be one of ${SOURCE_FORMATS.join(', ')}`,
    }),
    path: z.string().min(1, 'must not be empty').optional(),
    url: z.url({ error: 'must be a URL' }).optional(),
    authoritativeFor: z
      .array(z.string().min(1, 'must not be empty'), {
        error: 'must be a list of externalId prefixes, or * for all',
      })
      .optional(),
    frequency: z
      .string()
      .refine(
        v => Duration.fromISO(v).isValid && Duration.fromISO(v).toMillis() > 0,
        { message: 'must be a positive ISO 8601 duration such as PT1H' },
      )
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.authoritativeFor?.length && !(v.format in CREDENTIAL_FORMATS)) {
      ctx.addIssue({
        code: 'custom',
        path: ['authoritativeFor'],
        message: `applies only to sources that list credentials (${Object.keys(
          CREDENTIAL_FORMATS,
        ).join(', ')})`,
      });
    }
    if (!v.path === !v.url) {
      ctx.addIssue({
        code: 'custom',
        path: ['path'],
        message: 'give exactly one of path and url',
      });
    }
  });

const settings = z
  .array(source, { error: 'must be a list of sources' })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((s, i) => {
      if (seen.has(s.id)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `${s.id} is used by another source`,
        });
      }
      seen.add(s.id);
    });
  });

/**
 * `nhi.discovery.sources`, checked: a bad source stops start-up with the key named, rather than
 * leaving a source silently unread (and its identities looking complete).
 */
export function readDiscoverySources(config: Config): DiscoverySource[] {
  const raw = config.getOptional('nhi.discovery.sources') ?? [];
  const parsed = settings.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = ['nhi.discovery.sources', ...issue.path].reduce<string>(
      (k, p) => (typeof p === 'number' ? `${k}[${p}]` : `${k}.${String(p)}`),
      '',
    );
    throw new InputError(`${key.replace(/^\./, '')} ${issue.message}`);
  }
  return parsed.data.map(s => ({
    id: s.id,
    format: s.format,
    location: s.path ? { path: s.path } : { url: s.url! },
    frequency: Duration.fromISO(s.frequency ?? 'PT1H'),
    authoritativeFor: s.authoritativeFor ?? [],
  }));
}
