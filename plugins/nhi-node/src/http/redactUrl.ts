import { detectSecretMaterial } from '@nhi-governance/plugin-nhi-common';

/** What a redacted query value becomes in a log line. */
export const REDACTED_VALUE = '[REDACTED]';

// Parameter names that carry credentials in the wild beyond what the secret rules' names cover
// (token, secret, password, credential, api key…): OAuth codes and states, signed-URL
// signatures (AWS X-Amz-Signature, Azure sig), session ids, JWTs and bare `key`/`auth`.
const CREDENTIAL_PARAMETER =
  /token|secret|passw|pwd|credential|key|sig(nature)?$|^sig|auth|^code$|^state$|session|jwt|saml/i;

const decoded = (text: string) => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // Malformed percent-encoding: judge the raw text.
    return text;
  }
};

const isCredential = (name: string, value: string) =>
  CREDENTIAL_PARAMETER.test(name) ||
  detectSecretMaterial({ [name]: value }, '', { checkFieldNames: true })
    .length > 0;

/**
 * A request URL fit for a log line: the value of every query parameter that is named like a
 * credential, or whose value looks like secret material, becomes `[REDACTED]`. The path and the
 * other parameters stay exactly as sent, so the line still says what was asked.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map(part => {
      const equals = part.indexOf('=');
      const name = equals < 0 ? part : part.slice(0, equals);
      const value = equals < 0 ? '' : part.slice(equals + 1);
      if (!isCredential(decoded(name), decoded(value))) return part;
      return `${name}=${REDACTED_VALUE}`;
    });
  return `${url.slice(0, start)}?${query.join('&')}`;
}
