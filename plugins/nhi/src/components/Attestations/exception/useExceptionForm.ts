import { useEffect, useMemo, useState } from 'react';
import {
  EXCEPTABLE_FINDINGS,
  type ExceptableFinding,
  type IdentityView,
} from '@nhi-governance/plugin-nhi-common';
import {
  exceptableFindings,
  expiryBounds,
  expiryProblem,
} from './exceptionRules';

/** The findings to offer: those open on the identity, or every exceptable one when none is. */
export function useExceptionChoices(identity: IdentityView) {
  const openCodes = exceptableFindings(identity);
  const openKey = openCodes.join(',');
  const choices: readonly ExceptableFinding[] = useMemo(
    () =>
      openKey
        ? (openKey.split(',') as ExceptableFinding[])
        : EXCEPTABLE_FINDINGS,
    [openKey],
  );
  return { openNow: openCodes.length > 0, choices };
}

/** The request's values, blank again (90 days ahead) whenever the dialog opens. */
export function useExceptionForm(
  open: boolean,
  identityRef: string,
  choices: readonly ExceptableFinding[],
  reset: () => void,
) {
  const [finding, setFinding] = useState<ExceptableFinding>(choices[0]);
  const [justification, setJustification] = useState('');
  const [controls, setControls] = useState('');
  const [expiresOn, setExpiresOn] = useState(() => expiryBounds().initial);

  useEffect(() => {
    if (open) {
      setFinding(choices[0]);
      setJustification('');
      setControls('');
      setExpiresOn(expiryBounds().initial);
      reset();
    }
  }, [open, identityRef, choices, reset]);

  const dateProblem = expiryProblem(expiresOn);
  const complete =
    !!justification.trim() && !!controls.trim() && !dateProblem && !!finding;
  /** The values as the `requestException` input; the date's start, UTC. */
  const input = (identity: string) => ({
    identity,
    finding,
    justification: justification.trim(),
    compensatingControls: controls.trim(),
    expiresAt: `${expiresOn}T00:00:00.000Z`,
  });

  return {
    dateProblem,
    complete,
    input,
    finding,
    setFinding,
    justification,
    setJustification,
    controls,
    setControls,
    expiresOn,
    setExpiresOn,
  };
}
