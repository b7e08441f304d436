import { ConfigReader } from '@backstage/config';
import { readDiscoverySources } from './sourceSettings';

const read = (sources: any) =>
  readDiscoverySources(new ConfigReader({ nhi: { discovery: { sources } } }));

describe('readDiscoverySources', () => {
  it('reads each source with its location and frequency (hourly unless told)', () => {
    const [file, url] = read([
      {
        id: 'aws-prod',
        format: 'aws-credential-report',
        path: '/data/report.csv',
      },
      {
        id: 'k8s',
        format: 'kubernetes-service-accounts',
        url: 'https://exports.example.com/k8s.json',
        frequency: 'PT15M',
      },
    ]);
    expect(file).toMatchObject({
      id: 'aws-prod',
      format: 'aws-credential-report',
      location: { path: '/data/report.csv' },
    });
    expect(file.frequency.toISO()).toBe('PT1H');
    expect(url.location).toEqual({
      url: 'https://exports.example.com/k8s.json',
    });
    expect(url.frequency.toISO()).toBe('PT15M');
  });

  it('has no sources unless configured', () => {
    expect(readDiscoverySources(new ConfigReader({}))).toEqual([]);
  });

  it('reads the scope a credential list is the complete record of', () => {
    const [source] = readDiscoverySources(
      new ConfigReader({
        nhi: {
          discovery: {
            sources: [
              {
                id: 'aws',
                format: 'aws-credential-report',
                path: '/x',
                authoritativeFor: ['arn:aws:iam::123456789012:user/'],
              },
            ],
          },
        },
      }),
    );
    expect(source.authoritativeFor).toEqual([
      'arn:aws:iam::123456789012:user/',
    ]);
  });

  it.each([
    [
      [
        {
          id: 'logs',
          format: 'aws-cloudtrail',
          path: '/x',
          authoritativeFor: ['*'],
        },
      ],
      'nhi.discovery.sources[0].authoritativeFor applies only to sources that list credentials',
    ],
    [
      [
        {
          id: 'aws',
          format: 'aws-credential-report',
          path: '/x',
          authoritativeFor: 'all',
        },
      ],
      'nhi.discovery.sources[0].authoritativeFor must be a list of externalId prefixes',
    ],
    [
      [{ id: 'Bad Id', format: 'kubernetes-service-accounts', path: '/x' }],
      'nhi.discovery.sources[0].id must be lowercase letters, digits and dashes',
    ],
    [
      [{ id: 'a', format: 'csv', path: '/x' }],
      'nhi.discovery.sources[0].format must be one of aws-credential-report',
    ],
    [
      [{ id: 'a', format: 'kubernetes-service-accounts' }],
      'nhi.discovery.sources[0].path give exactly one of path and url',
    ],
    [
      [
        {
          id: 'a',
          format: 'kubernetes-service-accounts',
          path: '/x',
          frequency: 'hourly',
        },
      ],
      'nhi.discovery.sources[0].frequency must be a positive ISO 8601 duration',
    ],
    [
      [
        { id: 'a', format: 'kubernetes-service-accounts', path: '/x' },
        { id: 'a', format: 'kubernetes-service-accounts', path: '/y' },
      ],
      'nhi.discovery.sources[1].id a is used by another source',
    ],
  ])('refuses %j, naming the key', (sources, message) => {
    expect(() => read(sources)).toThrow(message);
  });
});
