export {
  FindingChips,
  ReviewStatusText,
  RotationStatus,
  StatusText,
  UsageStatusText,
} from './StatusChips';
