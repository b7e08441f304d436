import type { ReactElement } from 'react';
import { fireEvent } from '@testing-library/react';
import { alertApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { nhiApiRef } from '../../../api';
import { type FakeNhiApi, fakeNhiApi } from './fakeNhiApi';

export function fakeAlertApi() {
  return { post: jest.fn(), alert$: jest.fn() };
}

/**
 * recharts' ResponsiveContainer measures its box, which jsdom lays out as 0×0:
 * give every element a size and a ResizeObserver that does nothing.
 */
export function mockChartLayout() {
  const original = HTMLElement.prototype.getBoundingClientRect;
  beforeAll(() => {
    (globalThis as any).ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
    HTMLElement.prototype.getBoundingClientRect = () =>
      ({
        width: 800,
        height: 400,
        top: 0,
        left: 0,
        right: 800,
        bottom: 400,
        x: 0,
        y: 0,
        toJSON: () => ({}),
      } as DOMRect);
  });
  afterAll(() => {
    HTMLElement.prototype.getBoundingClientRect = original;
  });
}

/** Renders inside a test app with the fake APIs, at `path` (with its query string). */
export async function renderWithApis(
  element: ReactElement,
  options: {
    nhiApi?: FakeNhiApi;
    alertApi?: ReturnType<typeof fakeAlertApi>;
    path?: string;
    /** Whether the user holds the permissions the page asks about (yes unless told). */
    permitted?: boolean;
  } = {},
): Promise<{ nhiApi: FakeNhiApi; alertApi: ReturnType<typeof fakeAlertApi> }> {
  const nhiApi = options.nhiApi ?? fakeNhiApi();
  const alertApi = options.alertApi ?? fakeAlertApi();
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [nhiApiRef, nhiApi],
        [alertApiRef, alertApi],
        [
          permissionApiRef,
          mockApis.permission({
            authorize:
              options.permitted === false
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
      ]}
    >
      {element}
    </TestApiProvider>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: [options.path ?? '/'],
    },
  );
  return { nhiApi, alertApi };
}

/**
 * jsdom has no object URLs and no downloads: records each file the page hands to the browser
 * (the `download` name of the link it clicks) instead.
 */
export function mockFileDownloads(): { filenames: string[] } {
  const downloads = { filenames: [] as string[] };
  const original = {
    createObjectURL: URL.createObjectURL,
    revokeObjectURL: URL.revokeObjectURL,
  };
  let click: jest.SpyInstance;
  beforeEach(() => {
    downloads.filenames.length = 0;
    URL.createObjectURL = jest.fn(() => 'blob:http://localhost/evidence');
    URL.revokeObjectURL = jest.fn();
    click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        if (this.href === 'blob:http://localhost/evidence') {
          downloads.filenames.push(this.download);
        }
      });
  });
  afterEach(() => {
    click.mockRestore();
    Object.assign(URL, original);
  });
  return downloads;
}

/** Sets a field's value in one change: typing key by key is slow in a page this size, and the value is what matters. */
export function fill(field: HTMLElement, value: string) {
  fireEvent.change(field, { target: { value } });
}
