import { InputError } from '@backstage/errors';
import {
  describeValueProblems,
  scanSecretMaterial,
  screenValue,
} from '@nhi-governance/plugin-nhi-common';
import type { NextFunction, Request, Response, Router } from 'express';

/** The path parameters the routes use; each is screened when a route names it. */
const PATH_PARAMETERS = ['kind', 'namespace', 'name', 'id'];

/**
 * Bodies whose door scans them itself: the event ingestor serves HTTP and usage logs alike and
 * lists each event's problems by index, so the edge does not scan an event batch a second time.
 */
const SCANNED_BY_THEIR_DOOR = new Set(['/events']);

// A property the framework may define as a getter (Express 5's req.query) is replaced outright.
const replace = (req: Request, key: 'query' | 'body', value: unknown) =>
  Object.defineProperty(req, key, {
    value,
    writable: true,
    configurable: true,
    enumerable: true,
  });

// Paths are written as the schemas write theirs: `Invalid body: decisions[0].justification …`.
function screened(value: unknown, where: string, path = ''): unknown {
  const result = screenValue(value, path, { multiline: true });
  if (!result.ok) {
    throw new InputError(
      `Invalid ${where}: ${describeValueProblems(result.problems)}`,
    );
  }
  return result.value;
}

/**
 * The HTTP edge, once per request, after express.json and before any route: the body, the query
 * and each path parameter are refused with a 400 naming the field when they hold control
 * characters (NUL, which PostgreSQL cannot store), lone surrogates or bidi overrides, or nest
 * deeper than the documented limit; what passes is replaced by its NFC form, so that the text a
 * route stores, ledgers and exports is one and the same string. A body is then scanned once for
 * secret material. Line breaks are allowed here (a justification is prose); single-line fields
 * refuse them in their schemas, as they do blank text and dates that do not exist.
 */
export function screenRequests(router: Router) {
  router.use(async (req: Request, _res: Response, next: NextFunction) => {
    replace(req, 'query', screened(req.query, 'query'));
    if (req.body !== undefined) {
      const body = screened(req.body, 'body');
      replace(req, 'body', body);
      if (!SCANNED_BY_THEIR_DOOR.has(req.path)) {
        // Field names are the schemas' business: a strict schema refuses any field it does not
        // know, by name, and its known fields are not secret-sounding.
        const secrets = await scanSecretMaterial(body, '', {
          checkFieldNames: false,
        });
        if (secrets.length > 0) {
          throw new InputError(
            `Invalid body: ${secrets
              .map(s => `${s.path} ${s.reason}`)
              .join('; ')}: requests never carry secret values`,
          );
        }
      }
    }
    next();
  });

  for (const parameter of PATH_PARAMETERS) {
    router.param(parameter, (req, _res, next, value: unknown) => {
      try {
        const clean = screened(value, 'path', `params.${parameter}`) as string;
        req.params[parameter] = clean;
        next();
      } catch (error) {
        next(error);
      }
    });
  }
}
