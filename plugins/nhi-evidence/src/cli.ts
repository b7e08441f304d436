import { KeyObject, createPublicKey } from 'crypto';
import { promises as fs } from 'fs';
import { parseArgs } from 'util';
import { readKey } from './ledger/signedNote';
import type { VerifyFailure, VerifySummary } from './types';
import { errorMessage } from './values';
import { verifyPackage } from './verifyPackage';

/** Where the CLI writes: lines to standard output and to standard error. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `Usage: nhi-evidence verify [--json] [--expect-package-hash <sha256>] [--public-key <file>] <package.zip>

Verifies a SOC 2 evidence package of the machine-identity plugins, offline: every file the
manifest lists is present and unchanged (SHA-256) and nothing else is; the package hash; the
ledger slice as a hash chain from its anchor entry, and the identities' registrations; every
decision, finding change and lifecycle event in the CSV files against the ledger entry that
recorded it; every signed checkpoint (in the ledger and the manifest) against the chain.

  --json                         print the result as JSON instead of lines
  --expect-package-hash <sha256> the package hash the portal recorded at export (Evidence tab):
                                 a package rewritten whole, hashes and all, then fails
  --public-key <file>            the portal's checkpoint signing key, as published (PEM Ed25519
                                 public key, or verifier key <name>+<id>+<base64>): every
                                 checkpoint must be signed with it, and the manifest must carry one
  -h, --help                     print this help

Exit status: 0 the package verifies, 1 it does not, 2 the command was not understood or the
file cannot be read.`;

/** One failure as a line: `FAIL <file>[ row N| line N| entry S]: reason`. */
export function formatFailure(f: VerifyFailure): string {
  let where = '';
  if (f.row !== undefined) where = ` row ${f.row}`;
  else if (f.line !== undefined) where = ` line ${f.line}`;
  else if (f.seq !== undefined) where = ` entry ${f.seq}`;
  return `FAIL ${f.file}${where}: ${f.reason}`;
}

const count = (n: number, one: string, many = `${one}s`) =>
  `${n} ${n === 1 ? one : many}`;

const consoleOutput: CliOutput = {
  out: line => process.stdout.write(`${line}\n`),
  err: line => process.stderr.write(`${line}\n`),
};

/** A command line that cannot run: what is wrong, and whether the usage helps. */
interface UsageProblem {
  problem: string;
  withUsage: boolean;
}

const usageProblem = (problem: string, withUsage = true): UsageProblem => ({
  problem,
  withUsage,
});

/** The arguments of `verify`, or what is wrong with them. */
function parseVerifyArgs(rest: string[]):
  | {
      file: string;
      json: boolean;
      expectPackageHash?: string;
      publicKeyFile?: string;
    }
  | UsageProblem {
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        json: { type: 'boolean' },
        'expect-package-hash': { type: 'string' },
        'public-key': { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const e = error as { code?: string; message: string };
    const option = e.message.match(/'([^']+)'/)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
      return usageProblem(`unknown option ${option}`);
    }
    return usageProblem(e.message);
  }
  const { values, positionals: files } = parsed;
  const expectPackageHash = values['expect-package-hash'];
  if (
    expectPackageHash !== undefined &&
    !/^[0-9a-f]{64}$/.test(expectPackageHash)
  ) {
    return usageProblem(
      `--expect-package-hash must be a SHA-256 in hex (64 characters 0-9a-f), not ${expectPackageHash}`,
    );
  }
  if (files.length !== 1) {
    return usageProblem(
      files.length
        ? 'verify takes one package, not several'
        : 'verify needs the package: nhi-evidence verify <package.zip>',
    );
  }
  return {
    file: files[0],
    json: !!values.json,
    expectPackageHash,
    publicKeyFile: values['public-key'],
  };
}

/** The Ed25519 key of --public-key (its public half, if given the private key), or why not. */
async function readPublicKey(file: string): Promise<KeyObject | UsageProblem> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return usageProblem(`cannot read the --public-key ${file}: ${code}`, false);
  }
  try {
    const key = readKey(text);
    return key.type === 'private' ? createPublicKey(key) : key;
  } catch (error) {
    return usageProblem(`--public-key ${file}: ${errorMessage(error)}`, false);
  }
}

/** Why the package file cannot be read, if it cannot. */
async function fileProblem(file: string): Promise<UsageProblem | undefined> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return usageProblem(`${file} is not a file`, false);
  } catch (error) {
    return usageProblem(
      `cannot read ${file}: ${
        (error as NodeJS.ErrnoException).code ?? String(error)
      }`,
      false,
    );
  }
  return undefined;
}

/** How many checkpoints matched the chain, and whether their signatures were checked. */
function checkpointsLine(c: VerifySummary['checkpoints']): string {
  if (!c.count) return 'none';
  const last =
    c.lastSize === undefined ? '' : `, the last covering entry ${c.lastSize}`;
  return c.signaturesVerifiedWith
    ? `${c.count}${last}, signatures verified with ${c.signaturesVerifiedWith}`
    : `${c.count}${last} (signatures not checked: pass --public-key)`;
}

/** The lines of a package that verifies: what it holds, what was checked, what to compare. */
function printPass(
  output: CliOutput,
  file: string,
  s: VerifySummary,
  expectPackageHash: string | undefined,
) {
  const span =
    s.ledgerFirstSeq === undefined
      ? ''
      : ` (seq ${s.ledgerFirstSeq}-${s.ledgerLastSeq})`;
  output.out(
    `PASS ${file}: ${s.files} files, ${s.ledgerEntries} ledger entries${span}, ` +
      `package hash ${s.packageHash}, period ${s.period.from} to ${s.period.to}`,
  );
  const c = s.checked;
  output.out(
    `  checked against the ledger: ${count(
      c.identities,
      'identity',
      'identities',
    )}, ` +
      `${count(c.decisions, 'review decision')}, ${count(
        c.exceptions,
        'exception decision',
      )}, ` +
      `${count(c.approvals, 'approval')}, ${count(
        c.findings,
        'finding change',
      )}, ${count(c.events, 'lifecycle event')}; generated ${
        s.generatedAt
      } by ${s.generatedBy}`,
  );
  if (s.ledgerHead) {
    // To compare with the portal's ledger: the package claims the ledger stood here.
    output.out(
      `  ledger head when exported: entry ${s.ledgerHead.seq}, ${s.ledgerHead.hash}`,
    );
  }
  output.out(`  signed checkpoints: ${checkpointsLine(s.checkpoints)}`);
  // What the ledger cannot vouch for, so a pass is never read as more than it is.
  for (const n of s.notChecked) {
    const rows =
      n.rows === undefined
        ? ''
        : ` (${count(n.rows, 'row')}, first ${(n.firstRows ?? []).join(', ')})`;
    output.out(
      `  not checked: ${n.file} ${n.columns.join(', ')}${rows}: ${n.why}`,
    );
  }
  if (!expectPackageHash) {
    output.out(
      '  compare the package hash with the one the portal recorded (Evidence tab), or pass it as --expect-package-hash',
    );
  }
}

/** Runs the CLI on its arguments (without node and the script); answers the exit status. */
export async function runCli(
  args: string[],
  output: CliOutput = consoleOutput,
): Promise<number> {
  const usageError = ({ problem, withUsage }: UsageProblem) => {
    output.err(`nhi-evidence: ${problem}`);
    if (withUsage) output.err(USAGE);
    return 2;
  };
  if (args.some(a => a === '-h' || a === '--help') || args[0] === 'help') {
    output.out(USAGE);
    return 0;
  }
  const [command, ...rest] = args;
  if (command === undefined) {
    return usageError(usageProblem('a command is required'));
  }
  if (command !== 'verify') {
    return usageError(usageProblem(`unknown command ${command}`));
  }
  const parsed = parseVerifyArgs(rest);
  if ('problem' in parsed) return usageError(parsed);
  const { file, json, expectPackageHash, publicKeyFile } = parsed;
  const unreadable = await fileProblem(file);
  if (unreadable) return usageError(unreadable);
  const publicKey =
    publicKeyFile === undefined
      ? undefined
      : await readPublicKey(publicKeyFile);
  if (publicKey && 'problem' in publicKey) return usageError(publicKey);

  const result = await verifyPackage(file, { expectPackageHash, publicKey });
  if (json) {
    output.out(JSON.stringify(result, null, 2));
    return result.ok ? 0 : 1;
  }
  if (result.ok) {
    printPass(output, file, result.summary, expectPackageHash);
    return 0;
  }
  for (const failure of result.failures) output.out(formatFailure(failure));
  output.out(
    `${file} does not verify: ${count(result.failures.length, 'problem')}`,
  );
  return 1;
}
