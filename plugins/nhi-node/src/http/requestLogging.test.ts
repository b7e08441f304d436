import { EventEmitter } from 'events';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  redactedRequestLogging,
  withoutSecretsInRequestLog,
} from './requestLogging';

const mockLogger = () => {
  const logger = {
    info: jest.fn(),
    warn: jest.fn(),
    error: jest.fn(),
    debug: jest.fn(),
    child: () => logger,
  };
  return logger as typeof logger & LoggerService;
};

function served(url: string, referer?: string) {
  const logger = mockLogger();
  const res = Object.assign(new EventEmitter(), {
    statusCode: 200,
    getHeader: (name: string) => (name === 'content-length' ? '12' : undefined),
  });
  const next = jest.fn();
  redactedRequestLogging(logger)(
    {
      method: 'GET',
      originalUrl: url,
      httpVersionMajor: 1,
      httpVersionMinor: 1,
      headers: { 'user-agent': 'curl/8', ...(referer ? { referer } : {}) },
    },
    res,
    next,
  );
  res.emit('finish');
  return { logger, next };
}

describe('redactedRequestLogging', () => {
  it('writes Backstage request lines without the token in the URL or the referrer', () => {
    const { logger, next } = served(
      '/api/nhi/identities?token=s3cr3t-value&limit=5',
      'http://localhost:3000/catalog?access_token=other-s3cr3t',
    );
    expect(next).toHaveBeenCalled();
    expect(logger.info).toHaveBeenCalledWith(
      '"GET /api/nhi/identities?token=[REDACTED]&limit=5 HTTP/1.1" 200 12 "http://localhost:3000/catalog?access_token=[REDACTED]" "curl/8"',
      expect.objectContaining({
        type: 'incomingRequest',
        url: '/api/nhi/identities?token=[REDACTED]&limit=5',
        status: 200,
      }),
    );
    expect(JSON.stringify(logger.info.mock.calls)).not.toMatch(/s3cr3t/);
  });
});

describe('withoutSecretsInRequestLog', () => {
  it("replaces the root router's logging middleware and applies every other default", () => {
    const logger = mockLogger();
    const original = jest.fn();
    const middleware = { logging: original };
    let installed: unknown;
    withoutSecretsInRequestLog({
      middleware,
      logger,
      applyDefaults: () => {
        installed = middleware.logging();
      },
    });
    expect(original).not.toHaveBeenCalled();
    expect(installed).toEqual(expect.any(Function));
  });
});
