import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { Duration } from 'luxon';
import { z } from 'zod';
import {
  BUILT_IN_FORMATS,
  SourceFormat,
  SourceFormatRegistry,
  connectorFormat,
} from './sourceFormats';

/** One configured source: a documented export format, where to read it, and how often. */
export interface DiscoverySource {
  /** Stable id, named in findings, the ledger and the source-health panel. */
  id: string;
  format: SourceFormat;
  /** A file path, or a URL read through Backstage's UrlReaderService. */
  location: { path: string } | { url: string } | { connector: string };
  frequency: Duration;
  /**
   * Credential sources: the declared externalIds this source is the complete record of
   * (prefixes such as `arn:aws:iam::123456789012:`, or `*` for every declared identity of its
   * provider). A declared identity in scope that a complete read does not list is missing at
   * source. Empty: the source never says an identity is missing.
   */
  authoritativeFor?: string[];
  /** The source's `settings`, checked against its format's schema; `{}` without one. */
  settings?: Record<string, unknown>;
}

/** The schema of one source, with the formats registered at start-up. */
const sourceSchema = (formats: SourceFormatRegistry) => {
  const names = formats.names() as [string, ...string[]];
  const fileFormats = names.filter(n => !n.startsWith('connector:'));
  const credentialFormats = fileFormats.filter(n => formats.credentials(n));
  return z
    .strictObject({
      id: z
        .string({ error: 'is required' })
        .regex(
          /^[a-z0-9][a-z0-9-]{0,63}$/,
          'must be lowercase letters, digits and dashes, such as aws-prod-credential-report',
        ),
      format: z.enum(names, {
        error: `must be one of ${fileFormats.join(', ')}`,
      }),
      connector: z.string().optional(),
      settings: z
        .record(z.string(), z.unknown(), { error: 'must be a map of settings' })
        .optional(),
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
          v =>
            Duration.fromISO(v).isValid && Duration.fromISO(v).toMillis() > 0,
          { message: 'must be a positive ISO 8601 duration such as PT1H' },
        )
        .optional(),
    })
    .superRefine((v, ctx) => {
      if (v.authoritativeFor?.length && !formats.credentials(v.format)) {
        ctx.addIssue({
          code: 'custom',
          path: ['authoritativeFor'],
          message: `applies only to sources that list credentials (${credentialFormats.join(
            ', ',
          )})`,
        });
      }
      checkSettings(formats, v, ctx);
      if (v.connector) {
        if (v.path || v.url) {
          ctx.addIssue({
            code: 'custom',
            path: ['connector'],
            message: 'reads an API: give no path or url with it',
          });
        }
      } else if (!v.path === !v.url) {
        ctx.addIssue({
          code: 'custom',
          path: ['path'],
          message: 'give exactly one of path and url',
        });
      }
    });
};

/** A format's own settings, checked with its schema; a format without one takes none. */
function checkSettings(
  formats: SourceFormatRegistry,
  v: { format: string; settings?: Record<string, unknown> },
  ctx: z.RefinementCtx,
) {
  const schema = formats.get(v.format)?.settingsSchema;
  if (!schema) {
    if (v.settings && Object.keys(v.settings).length) {
      ctx.addIssue({
        code: 'custom',
        path: ['settings'],
        message: `are not taken by the ${v.format} format`,
      });
    }
    return;
  }
  const parsed = schema.safeParse(v.settings ?? {});
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    ctx.addIssue({
      code: 'custom',
      path: ['settings', ...issue.path.map(p => p as string | number)],
      message: issue.message,
    });
  }
}

const settingsSchema = (formats: SourceFormatRegistry) =>
  z
    .array(sourceSchema(formats), { error: 'must be a list of sources' })
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
export function readDiscoverySources(
  config: Config,
  formats: SourceFormatRegistry = BUILT_IN_FORMATS,
): DiscoverySource[] {
  const raw = withConnectorFormats(
    config.getOptional('nhi.discovery.sources') ?? [],
    formats,
  );
  const schema = settingsSchema(formats);
  const parsed = schema.safeParse(raw);
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
    location: locationOf(s),
    frequency: s.frequency
      ? Duration.fromISO(s.frequency)
      : defaultFrequency(formats, s.connector),
    authoritativeFor: s.authoritativeFor ?? [],
    ...(s.settings ? { settings: settingsOf(formats, s) } : {}),
  }));
}

/** The settings as the format's schema reads them (defaults filled in). */
function settingsOf(
  formats: SourceFormatRegistry,
  s: { format: string; settings?: Record<string, unknown> },
): Record<string, unknown> {
  const schema = formats.get(s.format)?.settingsSchema;
  return schema ? schema.parse(s.settings ?? {}) : s.settings ?? {};
}

/**
 * A source that names a `connector` (and no format) reads as the connector's format; a
 * connector nobody registered is refused here, with the ones that are.
 */
function withConnectorFormats(
  raw: unknown,
  formats: SourceFormatRegistry,
): unknown {
  if (!Array.isArray(raw)) return raw;
  return raw.map((s, i) => {
    if (!s || typeof s !== 'object' || !('connector' in s) || 'format' in s) {
      return s;
    }
    const id = (s as { connector: unknown }).connector;
    if (typeof id !== 'string' || !formats.connector(id)) {
      const known = formats.connectorIds();
      throw new InputError(
        `nhi.discovery.sources[${i}].connector must be one of ${
          known.length
            ? known.join(', ')
            : 'the connectors modules add (none is installed)'
        }`,
      );
    }
    return { ...s, format: connectorFormat(id) };
  });
}

function locationOf(s: {
  path?: string;
  url?: string;
  connector?: string;
}): DiscoverySource['location'] {
  if (s.path) return { path: s.path };
  return s.url ? { url: s.url } : { connector: s.connector! };
}

/** PT1H, or a connector's own default when it gives one as a duration. */
function defaultFrequency(
  formats: SourceFormatRegistry,
  connector?: string,
): Duration {
  const frequency = connector
    ? formats.connector(connector)?.defaultSchedule.frequency
    : undefined;
  if (frequency && !('cron' in frequency) && !('trigger' in frequency)) {
    const d = Duration.isDuration(frequency)
      ? frequency
      : Duration.fromObject(frequency);
    if (d.isValid && d.toMillis() > 0) return d;
  }
  return Duration.fromISO('PT1H');
}
