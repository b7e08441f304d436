import { SEVERITIES } from '../findings/definitions';
import { SERIOUS_SEVERITIES, isSeriousFinding } from './serious';

describe('isSeriousFinding', () => {
  it('asks an acknowledgement for high and critical findings only', () => {
    expect(SEVERITIES.filter(s => isSeriousFinding(s))).toEqual([
      'high',
      'critical',
    ]);
    expect([...SERIOUS_SEVERITIES].sort()).toEqual(['critical', 'high']);
  });

  it('reads a finding by its severity', () => {
    expect(isSeriousFinding({ severity: 'critical' })).toBe(true);
    expect(isSeriousFinding({ severity: 'medium' })).toBe(false);
  });
});
