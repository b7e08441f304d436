import { z } from 'zod';

/** GitHub's rule for logins: letters, digits and single inner hyphens, at most 39 characters. */
const LOGIN = /^[a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38}$/i;
/** A bare host name: the integration is found by host, so a scheme or a path would miss it. */
const HOST =
  /^[a-z\d](?:[a-z\d-]*[a-z\d])?(?:\.[a-z\d](?:[a-z\d-]*[a-z\d])?)*(?::\d+)?$/i;

/** What can be read of each organisation. */
export const GITHUB_LISTS = [
  'personal-access-tokens',
  'app-installations',
] as const;
export type GithubList = (typeof GITHUB_LISTS)[number];

/**
 * The `settings` of a `github` source. Credentials come from Backstage's `integrations.github`
 * entry for `host` (a token, or a GitHub App installed in each organisation).
 */
export const githubSettings = z.strictObject({
  /** Organisation logins to read; each is a scope of its own on the Discovery tab. */
  organizations: z
    .array(z.string().regex(LOGIN, 'must be a GitHub organisation login'))
    .min(1, 'name at least one organisation'),
  /** The integration's host: github.com, or a GitHub Enterprise Server host. */
  host: z
    .string()
    .regex(HOST, 'must be a host name such as github.com or ghe.example.com')
    .default('github.com'),
  /** What to list of each organisation. */
  read: z
    .array(
      z.enum(GITHUB_LISTS, {
        error: `must be one of ${GITHUB_LISTS.join(', ')}`,
      }),
    )
    .min(1, `name at least one of ${GITHUB_LISTS.join(', ')}`)
    .default([...GITHUB_LISTS]),
});

export type GithubSettings = z.infer<typeof githubSettings>;
