import { MockFetchApi } from '@backstage/test-utils';
import { NhiClient } from './NhiClient';

/**
 * A client over Backstage's own FetchApi (its middleware as the app builds it) ending in a
 * backend that, like the browser's fetch, makes a Request of what reaches it and reads its body.
 * A signed-out user (no token) is the path where the auth middleware passes its input on after
 * it has already made a Request of it.
 */
function clientOverFetchApi(token: string) {
  const received: { method: string; url: string; body: string }[] = [];
  const fetchApi = new MockFetchApi({
    injectIdentityAuth: { token },
    baseImplementation: async (input, init) => {
      const request = new Request(input, init);
      received.push({
        method: request.method,
        url: request.url,
        body: await request.text(),
      });
      return new Response(JSON.stringify({ version: 2 }), {
        headers: { 'Content-Type': 'application/json' },
      });
    },
  });
  const nhiClient = new NhiClient({
    discoveryApi: { getBaseUrl: async () => 'http://localhost/api/nhi' },
    fetchApi,
  });
  return { nhiClient, received };
}

describe("NhiClient over Backstage's FetchApi", () => {
  it.each([
    ['a signed-in user', 'a-token'],
    ['no token', ''],
  ])('delivers a POST body to the backend for %s', async (_, token) => {
    const { nhiClient, received } = clientOverFetchApi(token);
    const input = { decision: 'certify' as const, justification: 'still used' };
    await expect(nhiClient.decide('item 1', input)).resolves.toEqual({
      version: 2,
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: 'POST',
      url: 'http://localhost/api/nhi/review-items/item%201/decision',
    });
    expect(JSON.parse(received[0].body)).toEqual(input);
  });

  it('sends a POST without a body (Read now) with none', async () => {
    const { nhiClient, received } = clientOverFetchApi('');
    await nhiClient.runDiscoverySource('aws-prod');
    expect(received).toEqual([
      {
        method: 'POST',
        url: 'http://localhost/api/nhi/discovery/sources/aws-prod/run',
        body: '',
      },
    ]);
  });
});
