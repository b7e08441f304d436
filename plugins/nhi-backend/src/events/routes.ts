import { serializeError } from '@backstage/errors';
import { nhiEventsIngestPermission } from '@nhi-governance/plugin-nhi-common';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import type { PermissionGuard } from '../http/permissionGuard';
import type { NhiApiRouter } from '../schema/typedRouter';
import { EventBatchError } from './EventBatchError';
import type { EventService } from './EventService';

export interface EventRouteOptions {
  guard: PermissionGuard;
  events: EventService;
}

/**
 * A refused event batch: the body the backend's error handler would write for its InputError
 * (`error`, `request`, `response`), plus every problem by item index in `items`.
 */
function sendEventBatchError(
  req: Request<any, any, any, any>,
  res: Response,
  error: EventBatchError,
) {
  const statusCode = 400;
  // `problems` is answered once, as `items`; the stack is never sent.
  const { problems: _problems, ...serialized } = serializeError(error);
  res.status(statusCode).json({
    error: serialized,
    request: { method: req.method, url: req.url },
    response: { statusCode },
    items: error.problems.map(({ index, reason }) => ({ index, reason })),
  });
}

/** Usage events from machines: people cannot send them, and a service needs the permission. */
export function registerEventRoutes(
  router: NhiApiRouter,
  { guard, events }: EventRouteOptions,
) {
  router.post('/events', async (req, res) => {
    await guard.requirePermission(req, nhiEventsIngestPermission, ['service']);
    let result;
    try {
      result = await events.ingest(req.body, DateTime.utc());
    } catch (error) {
      if (error instanceof EventBatchError) {
        sendEventBatchError(req, res, error);
        return;
      }
      throw error;
    }
    res.json(result);
  });
}
