import type { ComponentType } from 'react';
import Tooltip from '@material-ui/core/Tooltip';
import AccountBoxIcon from '@material-ui/icons/AccountBox';
import AppsIcon from '@material-ui/icons/Apps';
import BuildIcon from '@material-ui/icons/Build';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import ConfirmationNumberIcon from '@material-ui/icons/ConfirmationNumber';
import LockIcon from '@material-ui/icons/Lock';
import MemoryIcon from '@material-ui/icons/Memory';
import VerifiedUserIcon from '@material-ui/icons/VerifiedUser';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import type { MachineIdentityType } from '@nhi-governance/plugin-nhi-common';

const ICONS: Record<
  MachineIdentityType,
  ComponentType<{ fontSize?: 'small' }>
> = {
  'service-account': AccountBoxIcon,
  'api-key': VpnKeyIcon,
  'access-token': ConfirmationNumberIcon,
  'oauth-client': AppsIcon,
  certificate: VerifiedUserIcon,
  'ssh-key': LockIcon,
  'workload-identity': CloudQueueIcon,
  'ci-runner': BuildIcon,
  'ai-agent': MemoryIcon,
};

/** The identity's type as an icon with its name, e.g. a key for `api-key`. */
export function IdentityTypeIcon(props: { type: MachineIdentityType }) {
  const Icon = ICONS[props.type] ?? VpnKeyIcon;
  return (
    <Tooltip title={props.type}>
      <span
        style={{
          display: 'inline-flex',
          alignItems: 'center',
          gap: 6,
          whiteSpace: 'nowrap',
        }}
      >
        <Icon fontSize="small" />
        {props.type}
      </span>
    </Tooltip>
  );
}
