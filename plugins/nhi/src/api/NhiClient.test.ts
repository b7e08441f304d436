import { NhiClient, attachmentFilename } from './NhiClient';
import { EVIDENCE_PACKAGE_ENTRIES } from './zipEntryScanner';

function localHeader(name: string): Uint8Array {
  const bytes = new Uint8Array(30 + name.length);
  bytes.set([0x50, 0x4b, 0x03, 0x04]);
  bytes[26] = name.length;
  bytes.set(
    Array.from(name, c => c.charCodeAt(0)),
    30,
  );
  return bytes;
}

/** Just enough of a fetch Response: headers, a body read chunk by chunk, or JSON. */
function fakeResponse(options: {
  status?: number;
  headers?: Record<string, string>;
  chunks?: Uint8Array[];
  text?: string;
}) {
  const status = options.status ?? 200;
  const chunks = [...(options.chunks ?? [])];
  const headers = new Map(
    Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    ok: status < 400,
    status,
    statusText: status === 400 ? 'Bad Request' : 'OK',
    url: 'http://localhost/api/nhi/evidence/package',
    headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
    text: async () => options.text ?? '',
    json: async () => JSON.parse(options.text ?? 'null'),
    blob: async () => new Blob(options.chunks ?? []),
    body: options.chunks
      ? {
          getReader: () => ({
            read: async () =>
              chunks.length
                ? { done: false, value: chunks.shift() }
                : { done: true, value: undefined },
          }),
        }
      : null,
  };
}

function client(response: ReturnType<typeof fakeResponse>) {
  const fetch = jest.fn().mockResolvedValue(response);
  const nhiClient = new NhiClient({
    discoveryApi: { getBaseUrl: async () => 'http://localhost/api/nhi' },
    fetchApi: { fetch },
  });
  return { nhiClient, fetch };
}

/** What the client sent FetchApi: a URL and an init that carries the abort signal. */
function sent(fetch: jest.Mock, call = 0) {
  const [url, init] = fetch.mock.calls[call] as [string, RequestInit];
  return { url, method: init.method, signal: init.signal };
}

const zipHeaders = {
  'Content-Type': 'application/zip',
  'Content-Disposition':
    'attachment; filename="nhi-evidence-2026-07-01-2026-09-30.zip"',
};

describe('NhiClient.downloadEvidencePackage', () => {
  it('asks for the period, reports entries as they arrive and returns the named ZIP', async () => {
    const rest = EVIDENCE_PACKAGE_ENTRIES.slice(2).map(localHeader);
    const chunks = [
      localHeader('inventory.csv'),
      new Uint8Array(1000),
      localHeader('access-reviews.csv'),
      ...rest,
    ];
    const { nhiClient, fetch } = client(
      fakeResponse({ headers: zipHeaders, chunks }),
    );
    const onProgress = jest.fn();
    const signal = new AbortController().signal;

    const result = await nhiClient.downloadEvidencePackage(
      { from: '2026-07-01', to: '2026-09-30' },
      { onProgress, signal },
    );

    expect(sent(fetch)).toEqual({
      url: 'http://localhost/api/nhi/evidence/package?from=2026-07-01&to=2026-09-30',
      method: 'GET',
      signal,
    });
    expect(onProgress.mock.calls.slice(0, 3).map(([p]) => p)).toEqual([
      {
        receivedBytes: 43,
        entry: 'inventory.csv',
        entryNumber: 1,
        totalEntries: EVIDENCE_PACKAGE_ENTRIES.length,
      },
      {
        receivedBytes: 1043,
        entry: 'inventory.csv',
        entryNumber: 1,
        totalEntries: 11,
      },
      {
        receivedBytes: 1091,
        entry: 'access-reviews.csv',
        entryNumber: 2,
        totalEntries: 11,
      },
    ]);
    expect(result.filename).toBe('nhi-evidence-2026-07-01-2026-09-30.zip');
    expect(onProgress).toHaveBeenLastCalledWith(
      expect.objectContaining({ entry: 'manifest.json', entryNumber: 11 }),
    );
    expect(result.blob.size).toBe(
      1091 + rest.reduce((n, c) => n + c.length, 0),
    );
    expect(result.blob.type).toBe('application/zip');
  });

  it('refuses a package cut short by the server, naming where it ends', async () => {
    const { nhiClient } = client(
      fakeResponse({
        headers: zipHeaders,
        chunks: [
          localHeader('inventory.csv'),
          localHeader('access-reviews.csv'),
        ],
      }),
    );
    await expect(
      nhiClient.downloadEvidencePackage({
        from: '2026-07-01',
        to: '2026-09-30',
      }),
    ).rejects.toThrow(
      'The package arrived incomplete (it ends in access-reviews.csv): export it again',
    );
  });

  it('asks for a campaign and reads the whole body when it cannot be streamed', async () => {
    const { nhiClient, fetch } = client({
      ...fakeResponse({ headers: zipHeaders, chunks: [new Uint8Array(7)] }),
      body: null,
    });
    const result = await nhiClient.downloadEvidencePackage({
      campaign: 'c 1',
    });
    expect(sent(fetch).url).toBe(
      'http://localhost/api/nhi/evidence/package?campaign=c+1',
    );
    expect(result.blob.size).toBe(7);
    expect(result.filename).toBe('nhi-evidence-2026-07-01-2026-09-30.zip');
  });

  it("throws the server's refusal as a ResponseError", async () => {
    const { nhiClient } = client(
      fakeResponse({
        status: 400,
        headers: { 'Content-Type': 'application/json' },
        text: JSON.stringify({
          error: {
            name: 'InputError',
            message: 'to must not be before from',
          },
          response: { statusCode: 400 },
        }),
      }),
    );
    await expect(
      nhiClient.downloadEvidencePackage({
        from: '2026-09-30',
        to: '2026-07-01',
      }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      cause: { message: 'to must not be before from' },
    });
  });
});

describe('NhiClient.runDiscoverySource', () => {
  it('posts to the source and returns how the read went', async () => {
    const answer = {
      status: 'failed',
      rows: 3,
      error: 'aws prod: row 4: user_creation_time is not a date',
    };
    const { nhiClient, fetch } = client(
      fakeResponse({ text: JSON.stringify(answer) }),
    );

    // A read that fails at the source is an answer, not an error.
    await expect(nhiClient.runDiscoverySource('aws prod')).resolves.toEqual(
      answer,
    );
    expect(sent(fetch)).toMatchObject({
      url: 'http://localhost/api/nhi/discovery/sources/aws%20prod/run',
      method: 'POST',
    });
  });

  it('throws a source being read already as a ResponseError', async () => {
    const { nhiClient } = client(
      fakeResponse({
        status: 409,
        headers: { 'Content-Type': 'application/json' },
        text: JSON.stringify({
          error: {
            name: 'ConflictError',
            message: 'Discovery source aws-prod is being read now',
          },
          response: { statusCode: 409 },
        }),
      }),
    );
    await expect(
      nhiClient.runDiscoverySource('aws-prod'),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 409,
      cause: { message: 'Discovery source aws-prod is being read now' },
    });
  });
});

describe('NhiClient calls typed by the spec', () => {
  it('sends list filters as repeated parameters and returns the page', async () => {
    const page = { items: [], totalItems: 0 };
    const { nhiClient, fetch } = client(
      fakeResponse({ text: JSON.stringify(page) }),
    );
    await expect(
      nhiClient.listIdentities({
        owner: ['group:default/a', 'group:default/b'],
        compliant: false,
        limit: 25,
      }),
    ).resolves.toEqual(page);
    expect(sent(fetch)).toMatchObject({
      url: 'http://localhost/api/nhi/identities?owner=group%3Adefault%2Fa&owner=group%3Adefault%2Fb&compliant=false&limit=25',
      method: 'GET',
    });
  });

  it('posts a decision as JSON to the item', async () => {
    const { nhiClient, fetch } = client(
      fakeResponse({ text: JSON.stringify({ version: 1 }) }),
    );
    const input = { decision: 'certify' as const, justification: 'still used' };
    await nhiClient.decide('item 1', input);
    const request = new Request(
      ...(fetch.mock.calls[0] as [string, RequestInit]),
    );
    expect(sent(fetch)).toMatchObject({
      url: 'http://localhost/api/nhi/review-items/item%201/decision',
      method: 'POST',
    });
    expect(request.headers.get('Content-Type')).toBe('application/json');
    expect(await request.json()).toEqual(input);
  });
});

describe('attachmentFilename', () => {
  it('reads the quoted, bare and UTF-8 forms', () => {
    expect(attachmentFilename('attachment; filename="a b.zip"')).toBe(
      'a b.zip',
    );
    expect(attachmentFilename('attachment; filename=a.zip')).toBe('a.zip');
    expect(
      attachmentFilename(
        'attachment; filename="x.zip"; filename*=UTF-8\'\'%C3%A9.zip',
      ),
    ).toBe('é.zip');
    expect(attachmentFilename('attachment')).toBeUndefined();
    expect(attachmentFilename(null)).toBeUndefined();
  });
});
