import {
  DISCOVERY_WARNINGS_KEPT,
  DiscoveryWarning,
  cleanText,
  scanSecretMaterial,
} from '@nhi-governance/plugin-nhi-common';
import type { RunWarnings } from './store/DiscoveryStore';
import type { WarnFn } from './parsers/SourceWarning';

/** How many warnings the run's log line names; the rest are counted, and kept for the API. */
const LOGGED = 3;

const describe = (w: DiscoveryWarning) =>
  `${w.location} ${w.field}: ${w.reason}`;

/**
 * The warnings of one run: every one counted, the first {@link DISCOVERY_WARNINGS_KEPT} kept to
 * be stored with the run and shown in source health.
 */
export class RunWarningLog {
  private count = 0;
  private readonly kept: DiscoveryWarning[] = [];

  readonly warn: WarnFn = warning => {
    this.count++;
    if (this.kept.length < DISCOVERY_WARNINGS_KEPT) {
      const { location, field, reason } = warning;
      this.kept.push({ location, field, reason });
    }
  };

  /**
   * The count and the kept warnings, as they may be stored and shown. Parsers describe an odd
   * value rather than quote it (describeValue); as a second line of defence, should a text of a
   * warning still look like secret material, or hold what no stored text may (a control
   * character), that text is withheld, naming why.
   */
  async result(): Promise<RunWarnings> {
    const kept = this.kept.map(w => ({ ...w }));
    for (const finding of await scanSecretMaterial(kept, '', {
      checkFieldNames: false,
    })) {
      const at = /^\[(\d+)\]\.(location|field|reason)$/.exec(finding.path);
      const warning = at ? kept[Number(at[1])] : undefined;
      if (warning) {
        warning[
          at![2] as keyof DiscoveryWarning
        ] = `(withheld: it ${finding.reason})`;
      }
    }
    return { count: this.count, kept: kept.map(storable) };
  }
}

/** Each text of a warning as it may be stored, or withheld, naming why. */
function storable(w: DiscoveryWarning): DiscoveryWarning {
  const clean = (text: string) => {
    const checked = cleanText(text, { multiline: false });
    return checked.ok ? checked.text : `(withheld: it ${checked.reason})`;
  };
  return {
    location: clean(w.location),
    field: clean(w.field),
    reason: clean(w.reason),
  };
}

// A value as a message may quote it: a JSON string (parsers quote only harmless shapes).
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

/** Why a text may not be stored or logged as it is, or nothing. */
async function problemOf(text: string): Promise<string | undefined> {
  const clean = cleanText(text, { multiline: true });
  if (!clean.ok) return clean.reason;
  const [finding] = await scanSecretMaterial([text], '', {
    checkFieldNames: false,
  });
  return finding?.reason;
}

/**
 * A failed run's error as it may be stored and logged. Parsers describe the value they could
 * not read rather than quote it; as a second line of defence, a quote that still looks like
 * secret material, or holds a control character, is withheld, naming why.
 */
export async function storableError(error: string): Promise<string> {
  const problem = await problemOf(error);
  if (!problem) return error.normalize('NFC');
  const unquoted = error.replace(QUOTED, '(a value)');
  if (!(await problemOf(unquoted))) {
    return `${unquoted.normalize(
      'NFC',
    )} (the value was withheld: it ${problem})`;
  }
  return `(the error was withheld: it ${problem})`;
}

/**
 * The one line a run logs: how many rows it read and how many warnings it had, naming the
 * first few. Warnings name where and why, never a value of the file beyond a harmless word
 * or date, and they pass the same screen as what is stored.
 */
export function runLogLine(
  sourceId: string,
  outcome: { rows: number; error?: string },
  warnings: RunWarnings,
): string {
  const head = outcome.error
    ? `Discovery source ${outcome.error}`
    : `Discovery source ${sourceId} read ${outcome.rows} row${
        outcome.rows === 1 ? '' : 's'
      }`;
  if (!warnings.count) return `${head}; no warnings`;
  const named = warnings.kept.slice(0, LOGGED).map(describe).join('; ');
  const more =
    warnings.count > LOGGED ? `; and ${warnings.count - LOGGED} more` : '';
  return `${head}; ${warnings.count} warning${
    warnings.count === 1 ? '' : 's'
  }: ${named}${more}`;
}
