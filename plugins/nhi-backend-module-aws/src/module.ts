import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { DefaultAwsCredentialsManager } from '@backstage/integration-aws-node';
import { nhiDiscoveryExtensionPoint } from '@nhi-governance/plugin-nhi-node';
import { awsCloudTrailS3Connector } from './cloudtrail/awsCloudTrailS3Connector';
import { awsIamConnector } from './iam/awsIamConnector';

/**
 * Adds the `aws-iam` and `aws-cloudtrail-s3` discovery connectors to the `nhi` backend plugin,
 * with credentials from the `aws` integration config.
 *
 * @public
 */
export const nhiModuleAws = createBackendModule({
  pluginId: 'nhi',
  moduleId: 'aws',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: nhiDiscoveryExtensionPoint,
      },
      async init({ config, discovery }) {
        const credentials = DefaultAwsCredentialsManager.fromConfig(config);
        discovery.addConnector(awsIamConnector({ credentials }));
        discovery.addConnector(awsCloudTrailS3Connector({ credentials }));
      },
    });
  },
});
