import express from 'express';
import Router from 'express-promise-router';

/** HTTP only: parsing, permissions and status codes; rules live in the services behind it. */
export async function createRouter(): Promise<express.Router> {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  return router;
}
