import { REDACTED_VALUE, redactUrl } from './redactUrl';

const R = REDACTED_VALUE;

describe('redactUrl', () => {
  it.each([
    // Backstage's own EventSource and signed links, OAuth redirects and signed object URLs.
    [
      '/api/events?token=eyJhbGciOiJFUzI1NiJ9.e30.sig',
      `/api/events?token=${R}`,
    ],
    [
      '/api/nhi/identities?limit=5&access_token=abc123&owner=group%3Adefault%2Fpayments',
      `/api/nhi/identities?limit=5&access_token=${R}&owner=group%3Adefault%2Fpayments`,
    ],
    [
      '/api/auth/github/handler/frame?code=4f1e2a&state=6e6f6e6365',
      `/api/auth/github/handler/frame?code=${R}&state=${R}`,
    ],
    [
      '/o.csv?X-Amz-Credential=AKIA%2F20261205&X-Amz-Signature=9f2b&X-Amz-Expires=300',
      `/o.csv?X-Amz-Credential=${R}&X-Amz-Signature=${R}&X-Amz-Expires=300`,
    ],
    ['/blob?sv=2024-01-01&sig=Zm9v%2Bbar%3D', `/blob?sv=2024-01-01&sig=${R}`],
    [
      '/x?api_key=1&API-KEY=2&client_secret=3',
      `/x?api_key=${R}&API-KEY=${R}&client_secret=${R}`,
    ],
    // A secret under an innocent name is caught by its value.
    [
      '/api/nhi/identities?q=ghp_0123456789abcdefghijABCDEFGHIJ012345',
      `/api/nhi/identities?q=${R}`,
    ],
  ])('redacts credentials in %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each([
    '/api/nhi/identities',
    '/api/nhi/identities?limit=50&offset=100&sort=name',
    '/api/catalog/entities?filter=kind%3Dmachineidentity',
    '/api/nhi/identities?flag',
  ])('keeps %s as sent', url => {
    expect(redactUrl(url)).toBe(url);
  });

  it('judges malformed percent-encoding by its raw text, and keeps the rest', () => {
    expect(redactUrl('/x?token=%E0%A4%A&page=%zz')).toBe(
      `/x?token=${R}&page=%zz`,
    );
  });
});
