import { resolveSpecRefString } from './refs';

describe('resolveSpecRefString', () => {
  it.each([
    ['payments', 'owner', 'group:default/payments'],
    ['user:dana.reyes', 'owner', 'user:default/dana.reyes'],
    ['payments-api', 'usedBy', 'component:default/payments-api'],
    ['resource:payments-db', 'usedBy', 'resource:default/payments-db'],
    ['payments', 'system', 'system:default/payments'],
    ['Group:Ops/Payments', 'owner', 'group:ops/payments'],
  ] as const)('resolves %s in %s to %s', (ref, field, expected) => {
    expect(resolveSpecRefString(ref, field)).toBe(expected);
  });

  it("falls back to the identity's own namespace", () => {
    expect(resolveSpecRefString('payments', 'owner', 'finance')).toBe(
      'group:finance/payments',
    );
  });
});
