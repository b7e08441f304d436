/* eslint-disable no-console */
/**
 * Recall and false positives of the secret scan, and what it costs: `yarn bench:secrets` (from
 * plugins/nhi-common, or `yarn workspace @nhi-governance/plugin-nhi-common bench:secrets`).
 * Prints a Markdown section for docs/benchmarks.md. The corpora are the files in
 * src/secrets/__fixtures__ (their origins are in ORIGIN.md there).
 *
 * Three detectors are compared on every corpus:
 * - secretlint: @secretlint/secretlint-rule-preset-recommend alone (without its comment filter);
 * - ours: our rules alone, the synchronous detectSecretMaterial;
 * - scan: scanSecretMaterial, both together: what every door of the backend runs.
 */
import { cpus } from 'os';
import { execSync } from 'child_process';
import { detectSecretMaterial } from '../src/secrets/detectSecretMaterial';
import {
  scanSecretMaterial,
  scanSecretText,
} from '../src/secrets/scanSecretMaterial';
import {
  exampleDocuments,
  gitleaksRuleExamples,
  justifications,
  secretlintCases,
} from '../src/secrets/__testUtils__/corpora';
import { MISSED_FORMATS } from '../src/secrets/__fixtures__/missedFormats';
import { DISCOVERY_SAMPLE_SECRETS } from '../src/secrets/__fixtures__/discoverySamples';

type Detector = 'secretlint' | 'ours' | 'scan';
const DETECTORS: Detector[] = ['secretlint', 'ours', 'scan'];

async function detects(detector: Detector, text: string): Promise<boolean> {
  if (detector === 'secretlint')
    return (await scanSecretText(text, 'secretlint')).length > 0;
  if (detector === 'ours')
    return (
      detectSecretMaterial({ text }, '', { checkFieldNames: false }).length > 0
    );
  return (
    (await scanSecretMaterial({ text }, '', { checkFieldNames: false }))
      .length > 0
  );
}

const pct = (n: number, of: number) =>
  of === 0 ? '–' : `${n}/${of} (${((100 * n) / of).toFixed(1)} %)`;

const overlaps = (a: readonly [number, number], b: readonly [number, number]) =>
  a[0] < b[1] && b[0] < a[1];

async function secretlintCorpus(lines: string[]) {
  const cases = secretlintCases();
  const found: Record<Detector, number> = { secretlint: 0, ours: 0, scan: 0 };
  let expected = 0;
  const missed: string[] = [];
  const okCases = cases.filter(c => c.expected.length === 0);
  const okFlagged: string[] = [];
  for (const c of cases) {
    const bySecretlint = await scanSecretText(c.content, 'secretlint');
    const byScan = await scanSecretText(c.content);
    const byOurs = byScan.filter(m => m.rule.startsWith('nhi/'));
    for (const e of c.expected) {
      expected++;
      const hit = (ms: Array<{ range: readonly [number, number] }>) =>
        ms.some(m => overlaps(m.range, e.range));
      if (hit(bySecretlint)) found.secretlint++;
      if (hit(byOurs)) found.ours++;
      if (hit(byScan)) found.scan++;
      else missed.push(`${c.rule}/${c.name} (${c.file})`);
    }
    if (c.expected.length === 0 && byScan.length > 0) {
      okFlagged.push(
        `${c.rule}/${c.name}: ${[...new Set(byScan.map(m => m.rule))].join(
          ', ',
        )}${
          c.hasOptions
            ? ' (the case sets an option, such as an allow-list, that the product does not use)'
            : ''
        }`,
      );
    }
  }
  lines.push(
    `| secretlint's own snapshot tests: ${expected} expected detections in ${
      cases.length - okCases.length
    } cases | ${pct(found.secretlint, expected)} | ${pct(
      found.ours,
      expected,
    )} | ${pct(found.scan, expected)} |`,
  );
  return { missed: [...new Set(missed)], okCases: okCases.length, okFlagged };
}

async function textCorpus(
  label: string,
  texts: Array<{ name: string; text: string }>,
  lines: string[],
) {
  const found: Record<Detector, number> = { secretlint: 0, ours: 0, scan: 0 };
  const missed: string[] = [];
  for (const t of texts) {
    for (const d of DETECTORS) {
      if (await detects(d, t.text)) found[d]++;
      else if (d === 'scan') missed.push(t.name);
    }
  }
  lines.push(
    `| ${label} | ${pct(found.secretlint, texts.length)} | ${pct(
      found.ours,
      texts.length,
    )} | ${pct(found.scan, texts.length)} |`,
  );
  return missed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeIt(runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

async function main() {
  const lines: string[] = [];
  const gitleaks = gitleaksRuleExamples();
  const realFormats = [
    ...MISSED_FORMATS,
    ...DISCOVERY_SAMPLE_SECRETS.filter(s => !s.expectedMiss),
  ];
  lines.push('### Recall');
  lines.push('');
  lines.push(
    '| corpus | secretlint preset alone | our rules alone | scan (both) |',
  );
  lines.push('|---|---|---|---|');
  const sl = await secretlintCorpus(lines);
  const realMissed = await textCorpus(
    `the formats issue 15 names and the discovery samples' secrets: ${realFormats.length} texts`,
    realFormats,
    lines,
  );
  const expectedMisses = DISCOVERY_SAMPLE_SECRETS.filter(s => s.expectedMiss);
  const gitleaksTps = gitleaks.flatMap(r =>
    r.truePositives.map((text, i) => ({ name: `${r.rule}#${i}`, text })),
  );
  const gitleaksMissed = await textCorpus(
    `gitleaks's literal rule examples: ${
      gitleaksTps.length
    } true positives of ${
      new Set(gitleaksTps.map(t => t.name.split('#')[0])).size
    } rules`,
    gitleaksTps,
    lines,
  );

  // False positives.
  let exampleStrings = 0;
  const exampleFindings: string[] = [];
  for (const { file, documents } of exampleDocuments()) {
    for (const [i, doc] of documents.entries()) {
      const base = `${file}#${i}`;
      exampleStrings +=
        JSON.stringify(doc).match(/"(?:[^"\\]|\\.)*"/g)?.length ?? 0;
      const findings = await scanSecretMaterial(doc, base, {
        checkFieldNames: false,
      });
      const spec =
        (doc as any)?.kind === 'MachineIdentity'
          ? (doc as any).spec
          : undefined;
      if (spec)
        findings.push(...(await scanSecretMaterial(spec, `${base}.spec`)));
      exampleFindings.push(...findings.map(f => `${f.path} ${f.reason}`));
    }
  }
  const corpus = justifications();
  const justificationFindings: string[] = [];
  for (const [i, line] of corpus.entries()) {
    const findings = await scanSecretMaterial(
      { justification: line },
      `line ${i + 1}`,
    );
    justificationFindings.push(...findings.map(f => `${f.path} ${f.reason}`));
  }
  const gitleaksFps = gitleaks.flatMap(r => r.falsePositives);
  let gitleaksFpFlagged = 0;
  for (const text of gitleaksFps)
    if (await detects('scan', text)) gitleaksFpFlagged++;

  lines.push('');
  lines.push('### False positives');
  lines.push('');
  lines.push('| corpus | texts | refused |');
  lines.push('|---|---|---|');
  lines.push(
    `| the example organisation, examples/*.yaml: every string (values and field names; MachineIdentity specs also with the field-name rules) | ${exampleStrings} strings | ${exampleFindings.length} |`,
  );
  lines.push(
    `| ordinary justifications (src/secrets/__fixtures__/justifications.txt) | ${corpus.length} | ${justificationFindings.length} |`,
  );
  lines.push(
    `| secretlint's "ok" snapshot cases (no expected detection) | ${sl.okCases} | ${sl.okFlagged.length} |`,
  );
  lines.push(
    `| gitleaks's literal false-positive examples (informational: many are placeholders gitleaks allows and we refuse) | ${gitleaksFps.length} | ${gitleaksFpFlagged} |`,
  );

  // Cost.
  const bodies = corpus.map(line => ({
    decisions: [
      {
        identityRef: 'machineidentity:default/payments-db-writer',
        decision: 'certify',
        justification: line,
      },
    ],
  }));
  let next = 0;
  const body = await timeIt(500, () =>
    scanSecretMaterial(bodies[next++ % bodies.length], 'body'),
  );
  const identities = exampleDocuments()
    .flatMap(f => f.documents)
    .filter((d: any) => d?.kind === 'MachineIdentity');
  const entity = await timeIt(300, () =>
    scanSecretMaterial(identities[next++ % identities.length], 'entity'),
  );
  const events = Array.from({ length: 1000 }, (_, i) => ({
    id: `evt-${i}`,
    type: 'used',
    occurredAt: '2026-11-28T09:00:00Z',
    identity: { ref: 'machineidentity:default/payments-db-writer' },
    sourceIp: `10.1.${i % 250}.3`,
    region: 'eu-west-1',
    userAgent: 'aws-cli/2.15.40 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.0',
    count: 3,
  }));
  const batch = await timeIt(30, () => scanSecretMaterial(events, 'events'));
  const syncBody = await timeIt(500, async () =>
    detectSecretMaterial(bodies[next++ % bodies.length], 'body'),
  );
  lines.push('');
  lines.push('### Cost (median)');
  lines.push('');
  lines.push(
    '| what is scanned | scanSecretMaterial | detectSecretMaterial (ours only, sync) |',
  );
  lines.push('|---|---|---|');
  lines.push(
    `| a review decision body (one justification) | ${body.toFixed(
      2,
    )} ms | ${syncBody.toFixed(3)} ms |`,
  );
  lines.push(
    `| a MachineIdentity entity of the example organisation | ${entity.toFixed(
      2,
    )} ms | – |`,
  );
  lines.push(
    `| a batch of 1000 usage events (one scan) | ${batch.toFixed(1)} ms | – |`,
  );

  lines.push('');
  lines.push('### Not detected');
  lines.push('');
  for (const m of sl.missed) lines.push(`- secretlint case ${m}`);
  for (const m of realMissed) lines.push(`- ${m}`);
  for (const m of expectedMisses) lines.push(`- ${m.name} (expected)`);
  lines.push(
    `- gitleaks rules with a missed example: ${[
      ...new Set(gitleaksMissed.map(m => m.split('#')[0])),
    ].join(', ')}`,
  );
  lines.push('');
  lines.push('### Flagged although upstream expects nothing');
  lines.push('');
  for (const f of sl.okFlagged) lines.push(`- secretlint case ${f}`);
  for (const f of [...exampleFindings, ...justificationFindings])
    lines.push(`- ${f}`);
  lines.push('');
  lines.push(
    `Machine: ${cpus().length} cores (${cpus()[0]?.model}), Node ${
      process.version
    }, @secretlint/core ${
      require('@secretlint/core/package.json').version
    }, preset-recommend ${
      require('@secretlint/secretlint-rule-preset-recommend/package.json')
        .version
    }, at ${execSync('git rev-parse --short HEAD').toString().trim()}.`,
  );
  console.log(lines.join('\n'));
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
