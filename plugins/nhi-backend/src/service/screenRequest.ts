import { InputError, ServiceUnavailableError } from '@backstage/errors';
import {
  SCAN_FAILED_RULE,
  SecretMaterialFinding,
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

// Express routes without regard to case or one trailing slash: `/EVENTS/` is `/events`.
const routedPath = (path: string) => path.toLowerCase().replace(/(.)\/$/, '$1');

const withoutQuery = (url: string) =>
  url.replace(/\?.*$/s, '?[query withheld]');

// No route reads the body of these; screening one would only let anyone make the backend work.
const BODILESS_METHODS = new Set(['GET', 'HEAD']);

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
 * Refuses secret material in a body or a query, naming where, never what. A scan that could not
 * run is this backend's failure, not the sender's: a 503, so the client tries again.
 */
function refuseSecrets(findings: SecretMaterialFinding[], where: string) {
  if (findings.some(f => f.rule === SCAN_FAILED_RULE)) {
    throw new ServiceUnavailableError(
      `Could not scan the ${where} for secret material; nothing was done, try again`,
    );
  }
  if (findings.length > 0) {
    throw new InputError(
      `Invalid ${where}: ${findings
        .map(s => `${s.path} ${s.reason}`)
        .join('; ')}: requests never carry secret values`,
    );
  }
}

/**
 * The HTTP edge, once per request, after express.json and before any route: the body, the query
 * and each path parameter are refused with a 400 naming the field when they hold control
 * characters (NUL, which PostgreSQL cannot store), lone surrogates or bidi overrides, or nest
 * deeper than the documented limit; what passes is replaced by its NFC form, so that the text a
 * route stores, ledgers and exports is one and the same string. The query (names and values) and
 * the body are then scanned once each for secret material. A GET or HEAD body is dropped unread.
 * Line breaks are allowed here (a justification is prose); single-line fields refuse them in
 * their schemas, as they do blank text and dates that do not exist.
 */
export function screenRequests(router: Router) {
  router.use(async (req: Request, _res: Response, next: NextFunction) => {
    const query = screened(req.query, 'query');
    replace(req, 'query', query);
    // A query parameter's name is echoed by no message unless it looks like one (validate.ts);
    // both names and values are scanned here, so a secret in either is refused before routing.
    const querySecrets = await scanSecretMaterial(query, 'query', {
      checkFieldNames: false,
    });
    if (querySecrets.length > 0) {
      // The error body and the request log write the URL: not with this query in it.
      req.url = withoutQuery(req.url);
      req.originalUrl = withoutQuery(req.originalUrl);
    }
    refuseSecrets(querySecrets, 'query');
    if (BODILESS_METHODS.has(req.method)) {
      replace(req, 'body', undefined);
    } else if (req.body !== undefined) {
      const body = screened(req.body, 'body');
      replace(req, 'body', body);
      if (!SCANNED_BY_THEIR_DOOR.has(routedPath(req.path))) {
        // Field names are the schemas' business: a strict schema refuses any field it does not
        // know, by name, and its known fields are not secret-sounding.
        refuseSecrets(
          await scanSecretMaterial(body, '', { checkFieldNames: false }),
          'body',
        );
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
