export {
  FindingChips,
  ReviewStatusText,
  RotationStatus,
  StatusText,
  UsageStatusText,
} from './StatusChips';
export { OwnerLink } from './OwnerLink';
