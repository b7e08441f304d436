/**
 * The control frameworks an auditor maps findings to. Identifiers are the frameworks' own.
 */
export const SOC2_CONTROLS = {
  'CC6.1':
    'Logical access security: identities are inventoried, owned and authenticated',
  'CC6.2':
    'Access is registered and authorised before it is granted, and removed when no longer needed',
  'CC6.3':
    'Access is role-based, least-privilege, and reviewed and modified as needs change',
  'CC6.6':
    'Access from outside the system boundary is restricted and protected',
  'CC7.2':
    'System components are monitored for anomalies that indicate malicious acts or errors',
} as const;

export const NIST_CSF_CONTROLS = {
  'ID.AM-08':
    'Systems, software and services are managed throughout their life cycles',
  'PR.AA-01':
    'Identities and credentials for users, services and hardware are managed',
  'PR.AA-02':
    'Identities are proofed and bound to credentials based on the context of interactions',
  'PR.AA-05':
    'Access permissions are defined, managed, enforced and reviewed, with least privilege and separation of duties',
  'PR.DS-01':
    'The confidentiality, integrity and availability of data at rest are protected',
  'PR.IR-01':
    'Networks and environments are protected from unauthorised logical access and usage',
  'DE.CM-01':
    'Networks and network services are monitored to find potentially adverse events',
  'DE.CM-03':
    'Personnel activity and technology usage are monitored to find potentially adverse events',
  'DE.AE-02':
    'Potentially adverse events are analysed to better understand associated activities',
} as const;

/** OWASP Non-Human Identities Top 10 (2025). */
export const OWASP_NHI_CONTROLS = {
  NHI1: 'Improper Offboarding',
  NHI2: 'Secret Leakage',
  NHI3: 'Vulnerable Third-Party NHI',
  NHI4: 'Insecure Authentication',
  NHI5: 'Overprivileged NHI',
  NHI6: 'Insecure Cloud Deployment Configurations',
  NHI7: 'Long-Lived Secrets',
  NHI8: 'Environment Isolation',
  NHI9: 'NHI Reuse',
  NHI10: 'Human Use of NHI',
} as const;

export type Soc2Control = keyof typeof SOC2_CONTROLS;
export type NistCsfControl = keyof typeof NIST_CSF_CONTROLS;
export type OwaspNhiControl = keyof typeof OWASP_NHI_CONTROLS;

/** Where one finding sits in each framework. */
export type ControlMapping = {
  soc2: Soc2Control[];
  nistCsf: NistCsfControl[];
  owaspNhi: OwaspNhiControl[];
};

/**
 * The NIST CSF 1.1 subcategory an auditor's checklist may still use for each CSF 2.0 one (NIST's
 * own 1.1 → 2.0 mapping), shown side by side in the evidence package.
 */
export const NIST_CSF_1_1_EQUIVALENTS: Record<NistCsfControl, string[]> = {
  'ID.AM-08': ['PR.DS-3', 'PR.MA-1'],
  'PR.AA-01': ['PR.AC-1'],
  'PR.AA-02': ['PR.AC-6'],
  'PR.AA-05': ['PR.AC-1', 'PR.AC-3', 'PR.AC-4'],
  'PR.DS-01': ['PR.DS-1'],
  'PR.IR-01': ['PR.AC-3', 'PR.AC-5', 'PR.DS-7', 'PR.PT-4'],
  'DE.CM-01': ['DE.CM-1', 'DE.CM-4', 'DE.CM-5', 'DE.CM-7'],
  'DE.CM-03': ['DE.CM-3', 'DE.CM-7'],
  'DE.AE-02': ['DE.AE-2'],
};

/**
 * References for AI agents and workload identities, which an AI governance review also asks
 * about: NIST AI RMF 1.0 (GOVERN) and the Cloud Security Alliance's MAESTRO threat model.
 */
export const AI_GOVERNANCE_REFERENCES = {
  'NIST AI RMF GOVERN 1.6':
    'Mechanisms are in place to inventory AI systems, resourced according to organisational risk priorities',
  'NIST AI RMF GOVERN 2.1':
    'Roles, responsibilities and lines of communication for mapping, measuring and managing AI risks are documented',
  'CSA MAESTRO (agent identity and access)':
    'Each agent acts under its own identity, with least privilege, attributable actions and revocable credentials',
} as const;
