import { define } from '../findingCodes';

/**
 * Access reviews not kept up: recertification late, or a reviewer's decision not carried out
 * (CC6.2, CC6.3).
 */
export const REVIEW_FINDINGS = {
  'review-overdue': define(
    'review-overdue',
    'medium',
    'Access review overdue',
    'The identity has not been recertified within the review cadence, so nobody has confirmed it is still needed.',
    'Complete the pending attestation for it.',
    { soc2: ['CC6.2', 'CC6.3'], nistCsf: ['PR.AA-05'], owaspNhi: [] },
  ),
  'remediation-overdue': define(
    'remediation-overdue',
    'high',
    'Remediation overdue',
    'A reviewer decided to revoke or reduce this access, and the change has not happened by its due date.',
    'Carry out the revocation or scope reduction, and record it.',
    {
      soc2: ['CC6.2', 'CC6.3'],
      nistCsf: ['PR.AA-05'],
      owaspNhi: ['NHI1', 'NHI5'],
    },
  ),
};
