/**
 * GitHub for the machine-identity governance backend: the `github` discovery connector, which
 * reads each organisation's fine-grained personal access token grants and GitHub App
 * installations through Octokit and Backstage's GitHub integration.
 *
 * @packageDocumentation
 */

export { nhiModuleGithub as default } from './module';
export { githubConnector, GITHUB_CONNECTOR } from './github/githubConnector';
export { githubSettings, GITHUB_LISTS } from './github/settings';
export type { GithubList, GithubSettings } from './github/settings';
