import { createRouteRef } from '@backstage/core-plugin-api';

/** The Identities tab (legacy mount point). */
export const rootRouteRef = createRouteRef({ id: 'nhi' });

/** The org-wide security page. */
export const securityRouteRef = createRouteRef({ id: 'nhi.security' });

/** "My attestations": every pending review item across the viewer's groups. */
export const attestationsRouteRef = createRouteRef({ id: 'nhi.attestations' });

/** Where the pages live; notifications link here too. */
export const SECURITY_PAGE_PATH = '/machine-identities/security';
export const ATTESTATIONS_PAGE_PATH = '/machine-identities/attestations';
