import { define } from '../findingCodes';

/**
 * Who is accountable for an identity, whether it was approved, and whether the catalog and its
 * source agree that it exists (CC6.1, CC6.2).
 */
export const OWNERSHIP_FINDINGS = {
  'owner-missing': define(
    'owner-missing',
    'high',
    'No owner',
    'Nobody is accountable for the identity: nobody rotates it, reviews it or removes it when it is no longer needed.',
    'Set spec.owner to the team that runs the workload using it.',
    {
      soc2: ['CC6.1', 'CC6.2'],
      nistCsf: ['PR.AA-01', 'ID.AM-08'],
      owaspNhi: ['NHI1'],
    },
  ),
  'owner-orphaned': define(
    'owner-orphaned',
    'high',
    'Owner not in the catalog',
    'The owning group no longer exists (a re-org or a typo), so the identity has no accountable owner in practice.',
    'Point spec.owner at an existing group, or set a backupOwner who takes it over.',
    {
      soc2: ['CC6.1', 'CC6.2'],
      nistCsf: ['PR.AA-01', 'ID.AM-08'],
      owaspNhi: ['NHI1'],
    },
  ),
  offboarding: define(
    'offboarding',
    'high',
    'Used only by retired components',
    'Every component that uses the identity is deprecated or gone, yet the credential still grants access.',
    'Revoke the credential and remove the identity, or attach it to the component that still needs it.',
    {
      soc2: ['CC6.2', 'CC6.3'],
      nistCsf: ['PR.AA-05', 'ID.AM-08'],
      owaspNhi: ['NHI1'],
    },
  ),
  unapproved: define(
    'unapproved',
    'medium',
    'No approval record',
    'Nothing shows who authorised this access, which SOC 2 requires before access is granted.',
    'Have security approve it and record the approver, date and ticket.',
    { soc2: ['CC6.2'], nistCsf: ['PR.AA-05'], owaspNhi: [] },
  ),
  undeclared: define(
    'undeclared',
    'medium',
    'Found at the source but not declared',
    'The identity exists at its provider but nobody declared it in the catalog, so it has no owner or purpose.',
    'Declare it with an owner and purpose, or revoke it.',
    { soc2: ['CC6.1'], nistCsf: ['PR.AA-01', 'ID.AM-08'], owaspNhi: ['NHI1'] },
  ),
  'missing-at-source': define(
    'missing-at-source',
    'low',
    'Declared but not found at the source',
    'The catalog declares an identity its provider no longer has: the record is stale.',
    'Remove the declaration, or fix its provider and externalId.',
    { soc2: ['CC6.1'], nistCsf: ['ID.AM-08'], owaspNhi: [] },
  ),
};
