import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { nhiPlugin } from './plugin';

describe('nhiPlugin', () => {
  it('serves /api/nhi/health to an unauthenticated caller', async () => {
    const { server } = await startTestBackend({ features: [nhiPlugin] });
    const res = await request(server)
      .get('/api/nhi/health')
      .set('Authorization', mockCredentials.none.header());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('does not start when an nhi setting carries a secret, and names the key', async () => {
    const token = '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';
    const started = startTestBackend({
      features: [
        nhiPlugin,
        mockServices.rootConfig.factory({
          data: {
            nhi: {
              discovery: {
                sources: [
                  {
                    id: 'github-tokens',
                    format: 'github-personal-access-tokens',
                    url: `https://ci:${token}@ghe.example.com/tokens.json`,
                  },
                ],
              },
            },
          },
        }),
      ],
    });
    const message: string = await started.then(
      () => 'started',
      e => String(e),
    );
    expect(message).toContain(
      'nhi.discovery.sources[0].url looks like a GitHub token',
    );
    expect(message).not.toContain(token);
  });
});
