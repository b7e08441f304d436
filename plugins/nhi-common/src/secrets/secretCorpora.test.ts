import { detectSecretMaterial } from './detectSecretMaterial';
import { scanSecretMaterial, scanSecretText } from './scanSecretMaterial';
import {
  EXAMPLES_DIR,
  exampleDocuments,
  justifications,
  secretlintCases,
} from './__testUtils__/corpora';
import { DISCOVERY_SAMPLE_SECRETS } from './__fixtures__/discoverySamples';
import { MISSED_FORMATS } from './__fixtures__/missedFormats';
import { join } from 'path';

describe('the secret scan on real corpora', () => {
  it('refuses no string of the example organisation (examples/*.yaml)', async () => {
    const examples = exampleDocuments();
    expect(examples.map(e => e.file)).toEqual(
      expect.arrayContaining(['identities.yaml', 'org.yaml']),
    );
    const findings = [];
    for (const { file, documents } of examples) {
      for (const [i, doc] of documents.entries()) {
        findings.push(
          ...(await scanSecretMaterial(doc, `${file}#${i}`, {
            checkFieldNames: false,
          })),
        );
        const d = doc as { kind?: string; spec?: unknown };
        if (d.kind === 'MachineIdentity')
          findings.push(
            ...(await scanSecretMaterial(d.spec, `${file}#${i}.spec`)),
          );
      }
    }
    expect(findings).toEqual([]);
  });

  it('refuses none of the ordinary justifications', async () => {
    const corpus = justifications();
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    const refused = [];
    for (const line of corpus) {
      const findings = await scanSecretMaterial({ justification: line });
      if (findings.length > 0) refused.push({ line, findings });
    }
    expect(refused).toEqual([]);
  });

  it('refuses the malformed example that carries a private key, naming the field', async () => {
    const [malformed] = exampleDocuments(join(EXAMPLES_DIR, 'malformed'));
    const leaky = malformed.documents.find(
      (d: any) => d.metadata?.name === 'leaky-deploy-key',
    ) as { spec: unknown };
    const findings = await scanSecretMaterial(leaky.spec, 'spec', {
      checkFieldNames: false,
    });
    expect(findings.map(f => f.path)).toEqual(['spec.credential.privateKey']);
  });

  it.each(DISCOVERY_SAMPLE_SECRETS.filter(s => !s.expectedMiss))(
    'refuses $name, typed into a justification, and does not repeat it',
    async ({ text }) => {
      const findings = await scanSecretMaterial({
        decisions: [{ justification: `As found: ${text}` }],
      });
      expect(findings.length).toBeGreaterThan(0);
      expect(new Set(findings.map(f => f.path))).toEqual(
        new Set(['decisions[0].justification']),
      );
      const shown = JSON.stringify(findings);
      for (const token of text.match(/[A-Za-z0-9+/=_-]{16,}/g) ?? [])
        expect(shown).not.toContain(token);
    },
  );

  it('finds every secret that secretlint-rule-preset-recommend’s own tests expect, except AWS account ids, which the product stores in every ARN', async () => {
    const missed: string[] = [];
    for (const c of secretlintCases()) {
      const found = await scanSecretText(c.content);
      for (const e of c.expected) {
        const hit = found.some(
          m => m.range[0] < e.range[1] && e.range[0] < m.range[1],
        );
        if (!hit) missed.push(`${c.rule}/${c.name}`);
      }
    }
    expect([...new Set(missed)]).toEqual([
      'secretlint-rule-aws/ng.AWS Account ID',
    ]);
  });

  it('finds the same with our rules, synchronously or inside the one scan (one list of rules)', async () => {
    const texts = [
      ...MISSED_FORMATS.map(f => f.text),
      ...DISCOVERY_SAMPLE_SECRETS.map(s => s.text),
      ...justifications(),
      ...secretlintCases().map(c => c.content),
    ];
    for (const text of texts) {
      const sync = detectSecretMaterial({ text }, '', {
        checkFieldNames: false,
      })
        .map(f => f.rule)
        .sort();
      const inScan = (await scanSecretText(text))
        .map(m => m.rule)
        .filter(rule => rule.startsWith('nhi/'));
      expect([...new Set(sync)]).toEqual([...new Set(inScan)].sort());
    }
  });
});
