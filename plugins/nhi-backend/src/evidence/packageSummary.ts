import type { Cell, CsvFile } from './csvFile';

const bump = (m: Record<string, number>, key: string | undefined) => {
  const k = key || '(none)';
  m[k] = (m[k] ?? 0) + 1;
};

/** What index.html reports, counted from the rows as the CSV files are written. */
export class PackageSummary {
  population = 0;
  removed = 0;
  byType: Record<string, number> = {};
  /** Identities of these types also answer to AI governance (NIST AI RMF, CSA MAESTRO). */
  aiOrWorkload = 0;
  unowned = 0;
  unapproved = 0;
  campaigns: Record<
    string,
    {
      items: number;
      decided: number;
      escalated: number;
      byDecision: Record<string, number>;
    }
  > = {};
  exceptions = { total: 0, byStatus: {} as Record<string, number> };
  approvals: Record<string, number> = {};
  rotations = { events: 0, overdue: 0 };
  findings = {
    opened: {} as Record<string, number>,
    closed: {} as Record<string, number>,
    excepted: {} as Record<string, number>,
    openAtStart: {} as Record<string, number>,
    openAtEnd: {} as Record<string, number>,
  };
  usageMonths = 0;

  /** The same file, counted as its rows go by. */
  observe(file: CsvFile): CsvFile {
    const count = this.counters[file.name];
    if (!count) return file;
    const { columns } = file;
    const rows = file.rows;
    return {
      ...file,
      rows: (async function* counted() {
        for await (const row of rows) {
          count(Object.fromEntries(columns.map((c, i) => [c, row[i]])));
          yield row;
        }
      })(),
    };
  }

  private readonly counters: Record<
    string,
    (row: Record<string, Cell>) => void
  > = {
    'inventory.csv': r => {
      this.population++;
      if (r.removed_at) this.removed++;
      bump(this.byType, String(r.type));
      if (r.type === 'ai-agent' || r.type === 'workload-identity')
        this.aiOrWorkload++;
      const open = String(r.open_findings_at_period_end ?? '');
      if (!r.owner || open.includes('owner-')) this.unowned++;
      if (!r.approved_by) this.unapproved++;
    },
    'access-reviews.csv': r => {
      const c = (this.campaigns[String(r.campaign_period)] ??= {
        items: 0,
        decided: 0,
        escalated: 0,
        byDecision: {},
      });
      c.items++;
      if (r.state === 'decided') c.decided++;
      if (r.state === 'escalated') c.escalated++;
      if (r.decision) bump(c.byDecision, String(r.decision));
    },
    'exceptions.csv': r => {
      this.exceptions.total++;
      bump(this.exceptions.byStatus, String(r.status));
    },
    'approvals.csv': r => bump(this.approvals, String(r.decision)),
    'rotations.csv': r => {
      if (r.event === 'overdue') this.rotations.overdue++;
      else this.rotations.events++;
    },
    'findings.csv': r => {
      const code = String(r.finding);
      if (r.event === 'opened') bump(this.findings.opened, code);
      if (r.event === 'closed') bump(this.findings.closed, code);
      if (r.event === 'excepted') bump(this.findings.excepted, code);
      if (r.event === 'open-at-start') bump(this.findings.openAtStart, code);
      if (r.event === 'open-at-end') bump(this.findings.openAtEnd, code);
    },
    'usage.csv': () => {
      this.usageMonths++;
    },
  };
}
