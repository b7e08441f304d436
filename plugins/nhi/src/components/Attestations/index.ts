export { PendingAttestations } from './PendingAttestations';
export type { PendingAttestationsProps } from './PendingAttestations';
export { DecisionDialog } from './DecisionDialog';
export type { DecisionDialogProps } from './DecisionDialog';
export {
  RequestExceptionButton,
  RequestExceptionDialog,
} from './RequestExceptionDialog';
export type { RequestExceptionDialogProps } from './RequestExceptionDialog';
