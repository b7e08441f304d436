export {
  GENESIS_HASH,
  hashEntry,
  verifyChain,
} from '@nhi-governance/nhi-evidence';
