import type { ReactNode } from 'react';
import { usePermission } from '@backstage/plugin-permission-react';
import { nhiAdminReadPermission } from '@nhi-governance/plugin-nhi-common';

/**
 * Shows its children to holders of the org-wide machine-identity permission only: the security
 * page's sidebar item is for security. The page itself still answers others with a clear
 * message, and the backend refuses them.
 */
export function SecurityOnly(props: { children: ReactNode }) {
  const { allowed } = usePermission({ permission: nhiAdminReadPermission });
  return allowed ? <>{props.children}</> : null;
}
