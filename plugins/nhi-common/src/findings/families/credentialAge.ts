import { define } from '../findingCodes';

/**
 * How old a credential is against what policy allows: the longer it lives, the longer a leaked
 * copy works (CC6.1).
 */
export const CREDENTIAL_AGE_FINDINGS = {
  'rotation-overdue': define(
    'rotation-overdue',
    'medium',
    'Rotation overdue',
    'The credential is older than the rotation period policy allows, so a copy leaked at any point in that time still works.',
    'Rotate the credential, preferably by automating rotation, and record the rotation.',
    { soc2: ['CC6.1'], nistCsf: ['PR.AA-01'], owaspNhi: ['NHI7'] },
  ),
  expired: define(
    'expired',
    'high',
    'Expired but still present',
    'The credential has expired: either something is failing to authenticate, or it is dead weight that should be removed.',
    'Renew it if it is still needed, otherwise revoke it and remove the identity.',
    {
      soc2: ['CC6.1', 'CC6.2'],
      nistCsf: ['PR.AA-01', 'ID.AM-08'],
      owaspNhi: ['NHI1', 'NHI7'],
    },
  ),
  'long-lived': define(
    'long-lived',
    'medium',
    'Long-lived credential without exception',
    'The credential lives longer than policy allows without an approved exception, which maximises the value of a leaked copy.',
    'Shorten its lifetime or move to short-lived tokens (workload identity federation); otherwise request an exception.',
    { soc2: ['CC6.1'], nistCsf: ['PR.AA-01'], owaspNhi: ['NHI7'] },
  ),
};
