import Router from 'express-promise-router';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import type { spec } from './openapi';

/**
 * An express router whose paths, parameters, bodies and answers are typed from openapi.yaml,
 * so that a route the spec does not document, or an answer it does not describe, fails `tsc`.
 */
export type NhiApiRouter = ApiRouter<typeof spec>;

/**
 * A typed router that adds no middleware. The generated `createOpenApiRouter` would validate
 * every request against the spec first (express-openapi-validator), answering bad input with the
 * validator's wording instead of the messages the routes' own zod schemas give today.
 */
export function createNhiApiRouter(): NhiApiRouter {
  return Router() as NhiApiRouter;
}
