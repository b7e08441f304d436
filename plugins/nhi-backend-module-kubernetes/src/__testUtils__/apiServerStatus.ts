/**
 * The `Status` objects a Kubernetes API server answers every error with (kind Status,
 * apiVersion v1, status Failure, a reason, the HTTP code), and the message it gives for an
 * expired continue token, word for word.
 */

const STATUS_REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  410: 'Expired',
  429: 'TooManyRequests',
  500: 'InternalError',
};

export const status = (code: number, message: string, extra: object = {}) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason: STATUS_REASONS[code],
  code,
  ...extra,
});

export const EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';
