/**
 * Every secret the fixtures in this folder hold (each file's header says where it comes from),
 * which nothing may keep. The private key is listed line by line: a part of it is a leak too.
 */
export const FIXTURE_SECRETS = [
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAaAAAABNlY2RzYS',
  'hiAIluGc8amA+mJtyZx9EX4pVgp37yKoIPzWA5AIaG+0jaXUu0NJTarLAAAAsJwk9LmcJP',
  'b2stUHJvLmxvY2Fs',
  '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',
  'Tr0ub4dor&3-settlement-batch',
];

/** The fixture secrets found in a text, by their start only: a failing test must not print them. */
export function fixtureSecretsIn(text: string): string[] {
  return FIXTURE_SECRETS.filter(s => text.includes(s)).map(
    s => `${s.slice(0, 4)}… (${s.length} characters)`,
  );
}
