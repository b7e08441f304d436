/** An error's message, or the thrown value as text. */
export const errorMessage = (error: unknown) =>
  error instanceof Error ? error.message : String(error);

/** A JSON object: not null, not a list. */
export const isRecord = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
