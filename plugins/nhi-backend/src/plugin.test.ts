import request from 'supertest';
import {
  mockCredentials,
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
});
