import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import Router from 'express-promise-router';
import request from 'supertest';
import { screenRequests } from './screenRequest';
import { secretlintFailure } from '../__testUtils__/secretlintFailure';

// A simulated internal failure of the scan; otherwise the scan is the real one.
jest.mock('@secretlint/core', () =>
  jest.requireActual('../__testUtils__/secretlintFailure').mockedSecretlint(),
);

const TOKEN = `ghp_${'a1B2c3D4'.repeat(5)}`;

function app() {
  const router = Router();
  router.use(express.json({ limit: '5mb' }));
  screenRequests(router);
  router.get('/health', (req, res) => {
    res.json({ status: 'ok', bodyRead: req.body !== undefined });
  });
  router.get('/things', (req, res) => {
    res.json({ query: req.query });
  });
  router.post('/things', (req, res) => {
    res.json({ body: req.body });
  });
  // The event ingestor scans batches itself; here the route only says it was reached.
  router.post('/events', (_req, res) => {
    res.json({ reachedTheDoor: true });
  });
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
  });
  return express().use(router).use(middleware.error());
}

afterEach(() => {
  secretlintFailure.failing = false;
});

describe('the HTTP edge', () => {
  it('does not read a GET body, so /health cannot be made to screen or scan one', async () => {
    const response = await request(app())
      .get('/health')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ note: `${'-a'.repeat(100_000)}${TOKEN}\u0000` }));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', bodyRead: false });
  });

  it('answers 503, not 400, when the secret scan itself fails (simulated internal failure)', async () => {
    secretlintFailure.failing = true;
    const body = await request(app())
      .post('/things')
      .send({ justification: 'rotated after the incident' });
    expect(body.status).toBe(503);
    expect(body.body.error.name).toBe('ServiceUnavailableError');
    const query = await request(app()).get('/things?note=hello');
    expect(query.status).toBe(503);
  });

  it('refuses a secret in a query value or a query parameter name, without echoing it', async () => {
    for (const url of [`/things?note=${TOKEN}`, `/things?${TOKEN}=1`]) {
      const response = await request(app()).get(url);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(
        /^Invalid query: query(\.note)? .*looks like a GitHub token/,
      );
      expect(JSON.stringify(response.body)).not.toContain(TOKEN.slice(4));
    }
    const plain = await request(app()).get('/things?note=hello');
    expect(plain.status).toBe(200);
  });

  it.each(['/events', '/events/', '/EVENTS', '/Events/'])(
    'leaves a batch at %s to the event door, which scans it itself',
    async path => {
      const response = await request(app())
        .post(path)
        .send({ events: [{ note: TOKEN }] });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ reachedTheDoor: true });
    },
  );

  it.each(['/things', '/things/', '/THINGS'])(
    'scans a body posted to %s',
    async path => {
      const response = await request(app())
        .post(path)
        .send({ justification: TOKEN });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(
        /^Invalid body: justification looks like a GitHub token/,
      );
    },
  );
});
