// The small pieces NhiClient puts around openapi-fetch.

type QueryValue = string | number | boolean | string[] | undefined;

/** `?a=1&b=x&b=y`: lists as repeated parameters, undefined and empty lists left out. */
export function toQueryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      params.append(key, String(v));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The Request openapi-fetch hands its fetch, as a URL and a plain init. Backstage's FetchApi
 * middleware makes a new Request of its input and, for a call it adds no token to, passes the
 * input itself on: a Request whose body that first copy has already used, which the browser
 * then refuses to make a Request of. A URL and an init with the body read out as text can be
 * made into a Request as many times as the middleware likes.
 */
export async function asUrlAndInit(
  request: Request,
  signal?: AbortSignal,
): Promise<[string, RequestInit]> {
  const { method, headers, url } = request;
  const text =
    method === 'GET' || method === 'HEAD' ? '' : await request.text();
  return [url, { method, headers, body: text || undefined, signal }];
}

/** What an openapi-fetch call resolves to once the fetch below has thrown every refusal. */
export type Answer<T> = { data?: T; response: Response };

/** The answer's body, typed by the spec (`paths`, generated from openapi.yaml). */
export async function body<T>(answer: Promise<Answer<T>>): Promise<T> {
  return (await answer).data as T;
}

/**
 * The answer's body as nhi-common's domain type, where the spec's schema of it is looser: fields
 * it does not list as required, or a plain string where the domain has a closed set of values.
 */
export async function narrowed<R>(
  answer: Promise<Answer<unknown>>,
): Promise<R> {
  return (await answer).data as R;
}

/** A yes-or-no query parameter as the spec spells it. */
export function asFlag(value?: boolean): 'true' | 'false' | undefined {
  if (value === undefined) return undefined;
  return value ? 'true' : 'false';
}
