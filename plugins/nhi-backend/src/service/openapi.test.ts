import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';
import { mockServices } from '@backstage/backend-test-utils';
import { z } from 'zod';
import { createRouter } from './router';
import {
  approvalDecisionBody,
  approvalQueueQuery,
  decideBulkBody,
  decideExceptionBody,
  decideOneBody,
  listCampaignsQuery,
  listExceptionsQuery,
  listItemsQuery,
  myItemsQuery,
  reassignmentBody,
  requestExceptionBody,
  startCampaignBody,
} from '../reviews/schemas';
import { listIdentitiesQuery } from '../identities/schemas';
import { FINDING_CODES } from '@nhi-governance/plugin-nhi-common';

const spec = parse(
  fs.readFileSync(path.join(__dirname, '../schema/openapi.yaml'), 'utf8'),
);

/** Follows a `#/...` $ref to what it names. */
const resolve = (node: any): any =>
  node?.$ref
    ? resolve(
        node.$ref
          .replace(/^#\//, '')
          .split('/')
          .reduce((at: any, key: string) => at[key], spec),
      )
    : node;

/** A documented schema's properties, required fields and the rest, with its `allOf` merged. */
function documented(node: any): {
  properties: Record<string, any>;
  required: string[];
  additionalProperties?: unknown;
  items?: any;
} {
  const schema = resolve(node);
  const parts = [schema, ...(schema.allOf ?? []).map(documented)];
  return {
    properties: Object.assign({}, ...parts.map(p => p.properties ?? {})),
    required: parts.flatMap(p => p.required ?? []),
    additionalProperties: schema.additionalProperties,
    items: schema.items,
  };
}

/** The schema under defaults, optionals and pipes: what the value itself must be. */
function unwrap(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodOptional) {
    return unwrap(schema.unwrap() as z.ZodType);
  }
  if (schema instanceof z.ZodPipe) return unwrap(schema.in as z.ZodType);
  return schema;
}

/**
 * Expects the documented schema to have exactly the zod schema's fields, required as zod
 * requires them, closed where zod is strict, down through nested objects and arrays.
 */
function expectSameFields(node: any, schema: z.ZodType, where: string) {
  const inner = unwrap(schema);
  const doc = documented(node);
  if (inner instanceof z.ZodObject) {
    const shape = inner.shape as Record<string, z.ZodType>;
    expect({ where, fields: Object.keys(doc.properties).sort() }).toEqual({
      where,
      fields: Object.keys(shape).sort(),
    });
    expect({ where, required: [...doc.required].sort() }).toEqual({
      where,
      required: Object.keys(shape)
        .filter(key => !shape[key].safeParse(undefined).success)
        .sort(),
    });
    if (inner.def.catchall instanceof z.ZodNever) {
      expect({ where, additionalProperties: doc.additionalProperties }).toEqual(
        { where, additionalProperties: false },
      );
    }
    for (const [key, value] of Object.entries(shape)) {
      expectSameFields(doc.properties[key], value, `${where}.${key}`);
    }
  } else if (inner instanceof z.ZodArray) {
    expectSameFields(doc.items, inner.element as z.ZodType, `${where}[]`);
  }
}

describe('openapi.yaml', () => {
  it('documents exactly the routes the router serves', async () => {
    const router: any = await createRouter({
      stores: {} as any,
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      userInfo: mockServices.userInfo(),
      reviews: {} as any,
      evidence: {} as any,
      discovery: {} as any,
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
    const routes = Object.entries(spec.paths)
      .flatMap(([p, methods]: [string, any]) =>
        Object.keys(methods).map(m => `${m.toUpperCase()} ${p}`),
      )
      .sort();
    expect(routes).toEqual(served);
  });

  it.each([
    ['/identities', listIdentitiesQuery],
    ['/entities/{kind}/{namespace}/{name}/identities', listIdentitiesQuery],
    ['/campaigns', listCampaignsQuery],
    ['/campaigns/{id}/items', listItemsQuery],
    ['/review-items/mine', myItemsQuery],
    ['/exceptions', listExceptionsQuery],
    ['/approvals', approvalQueueQuery],
  ] as const)(
    'documents exactly the query parameters %s accepts',
    (route, query) => {
      const documentedParameters = spec.paths[route].get.parameters
        .map(resolve)
        .filter((p: any) => p.in === 'query')
        .map((p: any) => p.name)
        .sort();
      expect(documentedParameters).toEqual(Object.keys(query.shape).sort());
    },
  );

  const bodies: Array<[string, z.ZodType]> = [
    ['POST /campaigns', startCampaignBody],
    ['POST /review-items/{id}/decision', decideOneBody],
    ['POST /review-items/decisions', decideBulkBody],
    ['POST /review-items/{id}/reassignment', reassignmentBody],
    ['POST /exceptions', requestExceptionBody],
    ['POST /exceptions/{id}/approve', decideExceptionBody],
    ['POST /exceptions/{id}/reject', decideExceptionBody],
    ['POST /approvals/{namespace}/{name}', approvalDecisionBody],
  ];

  it.each(bodies)('documents exactly the body %s accepts', (route, body) => {
    const [method, p] = route.split(' ');
    const operation = spec.paths[p][method.toLowerCase()];
    expect(operation.requestBody.required).toBe(true);
    expectSameFields(
      operation.requestBody.content['application/json'].schema,
      body,
      'body',
    );
  });

  it('checks every documented request body against its schema', () => {
    const withBody = Object.entries(spec.paths)
      .flatMap(([p, methods]: [string, any]) =>
        Object.entries(methods)
          .filter(([, operation]: [string, any]) => operation.requestBody)
          .map(([m]) => `${m.toUpperCase()} ${p}`),
      )
      .sort();
    // The event batch has its own tests of what it accepts.
    expect(withBody).toEqual(
      [...bodies.map(([route]) => route), 'POST /events'].sort(),
    );
  });

  // The contract names every built-in code and admits the codes modules register, which a
  // closed enum would refuse in a generated client.
  it('documents every built-in finding code and admits a module code', () => {
    const schema = spec.components.schemas.FindingCode;
    expect(schema.enum).toBeUndefined();
    const kebab = new RegExp(schema.pattern);
    for (const code of FINDING_CODES) {
      expect(schema.description).toContain(` ${code}`);
      expect(code).toMatch(kebab);
    }
    expect('ci-token-without-expiry').toMatch(kebab);
    expect('Not Kebab').not.toMatch(kebab);
  });
});
