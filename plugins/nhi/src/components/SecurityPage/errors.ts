/** The server's own message when there is one (a ResponseError's cause), else the error's. */
export function errorMessage(error: unknown): string {
  const e = error as
    | { cause?: { message?: unknown }; message?: unknown }
    | undefined;
  if (e && typeof e.cause?.message === 'string' && e.cause.message) {
    return e.cause.message;
  }
  if (e && typeof e.message === 'string' && e.message) {
    return e.message;
  }
  return String(error);
}

/** True for a 403 from the backend (a ResponseError or a NotAllowedError). */
export function isForbidden(error: unknown): boolean {
  const e = error as
    | {
        name?: string;
        statusCode?: number;
        response?: { status?: number };
        cause?: { name?: string };
      }
    | undefined;
  return (
    e?.statusCode === 403 ||
    e?.response?.status === 403 ||
    e?.name === 'NotAllowedError' ||
    e?.cause?.name === 'NotAllowedError'
  );
}
