import { kubernetesConnector } from './kubernetesConnector';

describe('the kubernetes connector settings', () => {
  it('refuses bad settings, naming the field', () => {
    const connector = kubernetesConnector({ config: {} as any });
    const check = (settings: object) =>
      connector
        .settingsSchema!.safeParse(settings)
        .error?.issues.map(i => `${i.path.join('.')}: ${i.message}`);
    expect(check({})).toBeUndefined();
    expect(check({ clusters: [] })).toEqual([
      'clusters: name at least one cluster, or leave clusters out to read all',
    ]);
    expect(check({ clusters: [''] })).toEqual([
      'clusters.0: must name a cluster',
    ]);
    expect(check({ pageSize: 0 })).toEqual([
      'pageSize: Too small: expected number to be >=1',
    ]);
    expect(check({ serviceAccountToken: 'x' })).toEqual([
      ': Unrecognized key: "serviceAccountToken"',
    ]);
  });
});
