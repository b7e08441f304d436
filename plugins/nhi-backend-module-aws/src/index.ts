/**
 * AWS for the machine-identity governance backend: the `aws-iam` discovery connector, which
 * reads each account's IAM credential report and user tags through the official AWS SDK.
 *
 * @packageDocumentation
 */

export { nhiModuleAws as default } from './module';
export { awsIamConnector, AWS_IAM_CONNECTOR } from './iam/awsIamConnector';
export { awsIamSettings } from './iam/settings';
export type { AwsIamSettings } from './iam/settings';
