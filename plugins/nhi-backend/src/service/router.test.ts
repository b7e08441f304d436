import express from 'express';
import request from 'supertest';
import { createRouter } from './router';

describe('createRouter', () => {
  it('answers the health check', async () => {
    const app = express().use(await createRouter());
    const res = await request(app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers 404 for a route it does not serve', async () => {
    const app = express().use(await createRouter());
    expect((await request(app).get('/identities')).status).toBe(404);
  });
});
