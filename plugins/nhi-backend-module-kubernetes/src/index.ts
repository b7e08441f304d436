/**
 * Kubernetes for the machine-identity governance backend: the `kubernetes` discovery
 * connector, which lists each configured cluster's service accounts and their long-lived token
 * Secrets through @kubernetes/client-node.
 *
 * @packageDocumentation
 */

export { nhiModuleKubernetes as default } from './module';
export {
  kubernetesConnector,
  KUBERNETES_CONNECTOR,
} from './kubernetes/kubernetesConnector';
export { kubernetesSettings } from './kubernetes/settings';
export type { KubernetesSettings } from './kubernetes/settings';
