export { AttestationsPage } from './AttestationsPage';
export {
  MyAttestationsCard,
  MyAttestationsSummary,
} from './MyAttestationsCard';
