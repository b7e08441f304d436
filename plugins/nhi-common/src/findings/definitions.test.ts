import {
  NIST_CSF_CONTROLS,
  OWASP_NHI_CONTROLS,
  SOC2_CONTROLS,
} from './controls';
import {
  FINDING_CODES,
  FINDING_DEFINITIONS,
  builtInFindingDefinition,
  isBuiltInFindingCode,
} from './definitions';

describe('FINDING_DEFINITIONS', () => {
  it.each(FINDING_CODES)('defines %s completely, under its own code', code => {
    const definition = FINDING_DEFINITIONS[code];
    expect(definition.code).toBe(code);
    expect(definition.title).not.toBe('');
    expect(definition.why.length).toBeGreaterThan(30);
    expect(definition.remediation.length).toBeGreaterThan(20);
  });

  it.each(FINDING_CODES)('maps %s only to controls that exist', code => {
    const { soc2, nistCsf, owaspNhi } = FINDING_DEFINITIONS[code].controls;
    expect(soc2.length).toBeGreaterThan(0);
    for (const c of soc2) expect(Object.keys(SOC2_CONTROLS)).toContain(c);
    for (const c of nistCsf)
      expect(Object.keys(NIST_CSF_CONTROLS)).toContain(c);
    for (const c of owaspNhi)
      expect(Object.keys(OWASP_NHI_CONTROLS)).toContain(c);
  });

  it('covers the OWASP NHI risks the engine detects', () => {
    const mapped = new Set(
      FINDING_CODES.flatMap(c => FINDING_DEFINITIONS[c].controls.owaspNhi),
    );
    for (const risk of [
      'NHI1',
      'NHI2',
      'NHI5',
      'NHI7',
      'NHI8',
      'NHI9',
      'NHI10',
    ]) {
      expect(mapped).toContain(risk);
    }
  });
});

describe('builtInFindingDefinition', () => {
  it('answers the definition of each built-in code', () => {
    for (const code of FINDING_CODES) {
      expect(builtInFindingDefinition(code)).toBe(FINDING_DEFINITIONS[code]);
      expect(isBuiltInFindingCode(code)).toBe(true);
    }
  });

  // A module's finding carries its own title and severity: the UI and the exports must fall
  // back to those, even for a code that names an Object property.
  it.each(['ci-token-without-expiry', 'constructor', 'to-string', '__proto__'])(
    'answers nothing for a module code such as %s',
    code => {
      expect(builtInFindingDefinition(code)).toBeUndefined();
      expect(isBuiltInFindingCode(code)).toBe(false);
    },
  );
});
