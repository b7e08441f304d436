/** One file of an evidence package. */
export interface EvidenceFile {
  /** Its name in the ZIP. */
  name: string;
  /** What it holds, for the people who read the package and the code that writes or checks it. */
  holds: string;
  /**
   * Whether every package's manifest must list it: `nhi-evidence verify` fails a package
   * without it. index.html is a report for people, listed and hashed but not demanded; the
   * manifest lists every other file, never itself.
   */
  required: boolean;
}

/**
 * The files of an evidence package (format nhi-evidence/v1), in the order the backend writes
 * them into the ZIP. The backend writes them, the verifier checks them and the portal follows
 * the download by them: all three read the names from here.
 */
export const EVIDENCE_FILES = {
  inventory: {
    name: 'inventory.csv',
    holds:
      'Who each identity is, who owns and approved it, and where it stood when the period ended: statuses, open findings, last rotation and last use.',
    required: true,
  },
  accessReviews: {
    name: 'access-reviews.csv',
    holds:
      'One row per review item: the snapshot the reviewer was shown, the decision in force, every earlier version, escalation and remediation.',
    required: true,
  },
  exceptions: {
    name: 'exceptions.csv',
    holds:
      'The exceptions to findings: requester, approver, dates, expiry and justification.',
    required: true,
  },
  approvals: {
    name: 'approvals.csv',
    holds:
      "The security queue's approvals and send-backs of new identities (CC6.2).",
    required: true,
  },
  rotations: {
    name: 'rotations.csv',
    holds:
      'Every issue, rotation, revocation and expiry event of the period, then every identity overdue for rotation or expired when the period ended.',
    required: true,
  },
  findings: {
    name: 'findings.csv',
    holds:
      'Every finding opened, closed or excepted in the period, then those open when it began and when it ended, each with its controls.',
    required: true,
  },
  usage: {
    name: 'usage.csv',
    holds:
      'Per identity per month: the uses, failed authentications and distinct sources.',
    required: true,
  },
  ledger: {
    name: 'ledger.jsonl',
    holds:
      "The ledger's entries of the period, one canonical JSON object per line, from the anchor just before it: a hash chain the verifier recomputes.",
    required: true,
  },
  ledgerIdentities: {
    name: 'ledger-identities.jsonl',
    holds:
      'For each identity of the inventory, the latest ledger entry that registered or changed it before the period.',
    required: true,
  },
  index: {
    name: 'index.html',
    holds:
      'A printable report: the period, the control matrix, findings at the start and end, campaign results.',
    required: false,
  },
  manifest: {
    name: 'manifest.json',
    holds:
      "The period, the ledger's head, the policy, each other file's SHA-256 and rows, and the packageHash over all of it.",
    required: false,
  },
} as const satisfies Record<string, EvidenceFile>;

/** The name of one file of an evidence package. */
export type EvidenceFileName =
  (typeof EVIDENCE_FILES)[keyof typeof EVIDENCE_FILES]['name'];

/** The names of the files of an evidence package, in the order the backend writes them. */
export const EVIDENCE_PACKAGE_FILES: readonly EvidenceFileName[] =
  Object.values(EVIDENCE_FILES).map(f => f.name);
