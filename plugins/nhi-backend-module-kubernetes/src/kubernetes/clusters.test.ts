import { mkdtemp, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConfigReader } from '@backstage/config';
import { clustersToRead } from './clusters';
import { kubernetesSettings } from './settings';

const ALL = kubernetesSettings.parse({});

const kubernetesConfig = (...methods: object[]) =>
  new ConfigReader({ kubernetes: { clusterLocatorMethods: methods } });

describe('clustersToRead', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nhi-k8s-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the clusters of config locators only, and says why one cannot be read', () => {
    const entries = clustersToRead(
      kubernetesConfig(
        { type: 'catalog' },
        {
          type: 'config',
          clusters: [
            {
              name: 'prod',
              url: 'https://prod.example.com',
              authProvider: 'serviceAccount',
              serviceAccountToken: 'a-token',
              caData: 'LS0tLS1CRUdJTg==',
            },
            {
              name: 'gke',
              url: 'https://gke.example.com',
              authProvider: 'google',
            },
          ],
        },
      ),
      ALL,
    );
    expect(entries).toEqual([
      {
        name: 'prod',
        cluster: expect.objectContaining({
          url: 'https://prod.example.com',
          caData: 'LS0tLS1CRUdJTg==',
          skipTLSVerify: false,
        }),
      },
      {
        name: 'gke',
        problem:
          'authProvider "google" is not supported: the kubernetes connector reads with a service account token (authProvider: serviceAccount)',
      },
    ]);
  });

  it('uses the mounted token of a serviceAccount cluster without one, read at each run', async () => {
    const path = join(dir, 'token');
    const config = kubernetesConfig({
      type: 'config',
      clusters: [
        {
          name: 'local',
          url: 'https://kubernetes.default.svc',
          authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount' },
        },
      ],
    });
    const [entry] = clustersToRead(config, ALL, path);
    if (!('cluster' in entry)) throw new Error(entry.problem);
    await expect(entry.cluster.token()).rejects.toThrow(
      `cluster local gives no serviceAccountToken and no mounted token could be read at ${path} (ENOENT)`,
    );
    await writeFile(path, 'rotated-token\n');
    await expect(entry.cluster.token()).resolves.toBe('rotated-token');
  });

  it('refuses a config without clusters, or with one name twice', () => {
    expect(() => clustersToRead(kubernetesConfig(), ALL)).toThrow(
      'no cluster is configured: the kubernetes connector reads the clusters of kubernetes.clusterLocatorMethods entries of type: config',
    );
    const twice = {
      name: 'prod',
      url: 'https://a',
      authProvider: 'serviceAccount',
    };
    expect(() =>
      clustersToRead(
        kubernetesConfig(
          { type: 'config', clusters: [twice] },
          { type: 'config', clusters: [twice] },
        ),
        ALL,
      ),
    ).toThrow(
      'cluster prod is configured twice in kubernetes.clusterLocatorMethods',
    );
  });
});
