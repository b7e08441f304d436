import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { mockServices } from '@backstage/backend-test-utils';
import { createRouter } from './router';
import { listIdentitiesQuery } from './schemas';

const spec = parse(
  fs.readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'),
);

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves', async () => {
    const router: any = await createRouter({
      knex: {} as any,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      ingestor: {} as any,
      refresher: {} as any,
      identityRead: {} as any,
    });
    const served = router.stack
      .filter((layer: any) => layer.route)
      .flatMap((layer: any) =>
        Object.keys(layer.route.methods).map(
          method =>
            `${method.toUpperCase()} ${layer.route.path.replace(
              /:(\w+)/g,
              '{$1}',
            )}`,
        ),
      )
      .sort();
    const documented = Object.entries(spec.paths)
      .flatMap(([p, methods]: [string, any]) =>
        Object.keys(methods).map(m => `${m.toUpperCase()} ${p}`),
      )
      .sort();
    expect(documented).toEqual(served);
  });

  it.each(['/identities', '/entities/{kind}/{namespace}/{name}/identities'])(
    'documents exactly the query parameters %s accepts',
    route => {
      const documented = spec.paths[route].get.parameters
        .map((p: any) =>
          p.$ref ? spec.components.parameters[p.$ref.split('/').pop()] : p,
        )
        .filter((p: any) => p.in === 'query')
        .map((p: any) => p.name)
        .sort();
      expect(documented).toEqual(Object.keys(listIdentitiesQuery.shape).sort());
    },
  );
});
