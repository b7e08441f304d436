import type { LoggerService } from '@backstage/backend-plugin-api';
import { redactUrl } from './redactUrl';

interface LoggedRequest {
  method?: string;
  url?: string;
  originalUrl?: string;
  httpVersionMajor: number;
  httpVersionMinor: number;
  headers: Record<string, string | string[] | undefined>;
}

interface LoggedResponse {
  statusCode: number;
  getHeader(name: string): unknown;
  on(event: 'finish', listener: () => void): unknown;
}

/**
 * The root router's request log, as Backstage writes it (the same line and fields), with each
 * URL and referrer passed through {@link redactUrl}: a token sent in a query string, say an
 * `EventSource` or a signed link, never reaches a log line.
 */
export function redactedRequestLogging(logger: LoggerService) {
  return (req: LoggedRequest, res: LoggedResponse, next: () => void) => {
    res.on('finish', () => {
      const referrer = [req.headers.referer ?? req.headers.referrer]
        .flat()
        .filter(Boolean)
        .join(', ');
      const userAgent = req.headers['user-agent'];
      const contentLength = Number(res.getHeader('content-length'));
      const meta = {
        method: req.method,
        url: redactUrl(req.originalUrl ?? req.url ?? ''),
        status: res.statusCode,
        httpVersion: `${req.httpVersionMajor}.${req.httpVersionMinor}`,
        ...(userAgent ? { userAgent: String(userAgent) } : {}),
        ...(isFinite(contentLength) ? { contentLength } : {}),
        ...(referrer ? { referrer: redactUrl(referrer) } : {}),
      };
      logger.info(
        `"${meta.method} ${meta.url} HTTP/${meta.httpVersion}" ${meta.status} ${
          meta.contentLength ?? 0
        } "${meta.referrer ?? '-'}" "${meta.userAgent ?? '-'}"`,
        { type: 'incomingRequest', ...meta },
      );
    });
    next();
  };
}

/**
 * A `configure` for Backstage's `rootHttpRouterServiceFactory` that keeps every default and
 * writes the request log without credentials:
 *
 * ```ts
 * backend.add(rootHttpRouterServiceFactory({ configure: withoutSecretsInRequestLog }));
 * ```
 */
export function withoutSecretsInRequestLog(options: {
  middleware: { logging(): unknown };
  logger: LoggerService;
  applyDefaults(): void;
}) {
  const logging = redactedRequestLogging(options.logger);
  options.middleware.logging = () => logging;
  options.applyDefaults();
}
