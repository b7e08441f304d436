/**
 * A simulated internal failure of the secret scan, as a broken rule or an exhausted worker would
 * cause: while `failing` is set, secretlint's lintSource rejects. Otherwise the scan is the real
 * one. A test file installs it with
 * `jest.mock('@secretlint/core', () => jest.requireActual('../__testUtils__/secretlintFailure').mockedSecretlint())`.
 */
export const secretlintFailure = { failing: false };

export function mockedSecretlint() {
  const actual = jest.requireActual('@secretlint/core');
  return {
    ...actual,
    lintSource: (...args: unknown[]) =>
      secretlintFailure.failing
        ? Promise.reject(new Error('simulated secretlint failure'))
        : actual.lintSource(...args),
  };
}
