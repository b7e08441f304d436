import { ApiException } from '@kubernetes/client-node';

/** The HTTP status of an API answer that client-node turned into an error, if it was one. */
export const statusOf = (error: unknown): number | undefined =>
  error instanceof ApiException ? error.code : undefined;

/** What the API server says of a failure, in the `Status` object it answers with. */
export interface ApiStatus {
  message?: string;
  reason?: string;
  details?: { retryAfterSeconds?: number };
}

/**
 * The Status object of a failed call, if the answer was one. client-node keeps the answer as
 * text (or nothing, for a 401); a proxy's HTML error page is not a Status and says nothing.
 */
export function apiStatusOf(error: unknown): ApiStatus | undefined {
  if (!(error instanceof ApiException)) return undefined;
  let body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const status = body as { kind?: unknown } | null | undefined;
  return status?.kind === 'Status' ? (status as ApiStatus) : undefined;
}
