/**
 * Offline verification of the SOC 2 evidence packages of the machine-identity plugins, and
 * the ledger's canonical JSON and hash chain that the backend writes with. Needs no Backstage
 * and no network: `npx nhi-evidence verify package.zip`.
 *
 * @packageDocumentation
 */
export { canonicalJson } from './ledger/canonicalJson';
export { GENESIS_HASH, hashEntry, verifyChain } from './ledger/chain';
export type { LedgerEntry, LedgerVerification } from './ledger/types';
export {
  checkpointText,
  readCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
} from './ledger/checkpoint';
export type { Checkpoint } from './ledger/checkpoint';
export {
  keyId,
  openNote,
  publicKeyFingerprint,
  readKey,
  signNote,
  verifierKey,
} from './ledger/signedNote';
export { verifyPackage } from './verifyPackage';
export { readPackageFiles } from './zip';
export { PACKAGE_FORMAT } from './manifest';
export type { ManifestCheckpoint, PackageManifest } from './manifest';
export { NOT_CHECKED, asCell, cellText } from './checks';
export type {
  NotChecked,
  VerifyFailure,
  VerifyOptions,
  VerifyResult,
  VerifySummary,
} from './types';
export { formatFailure, runCli } from './cli';
export type { CliOutput } from './cli';
