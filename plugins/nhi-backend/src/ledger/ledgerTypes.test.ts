import type {
  LedgerEntry as CommonLedgerEntry,
  LedgerVerification as CommonLedgerVerification,
} from '@nhi-governance/plugin-nhi-common';
import type {
  LedgerEntry,
  LedgerVerification,
} from '@nhi-governance/nhi-evidence';

/** true when each type is assignable to the other; a type error otherwise. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// The verifier repeats the ledger's types so as to depend on nothing of Backstage: the type
// check fails here the moment the two declarations drift apart.
const entriesAlike: Same<CommonLedgerEntry, LedgerEntry> = true;
const verificationsAlike: Same<CommonLedgerVerification, LedgerVerification> =
  true;

describe('the ledger types', () => {
  it('are declared alike by nhi-common and by the offline verifier', () => {
    expect([entriesAlike, verificationsAlike]).toEqual([true, true]);
  });
});
