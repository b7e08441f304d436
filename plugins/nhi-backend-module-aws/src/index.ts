/**
 * AWS for the machine-identity governance backend: the `aws-iam` discovery connector, which
 * reads each account's IAM credential report and user tags through the official AWS SDK, and
 * the `aws-cloudtrail-s3` usage connector, which reads CloudTrail's log objects in S3.
 *
 * @packageDocumentation
 */

export { nhiModuleAws as default } from './module';
export { awsIamConnector, AWS_IAM_CONNECTOR } from './iam/awsIamConnector';
export { awsIamSettings } from './iam/settings';
export type { AwsIamSettings } from './iam/settings';
export {
  awsCloudTrailS3Connector,
  AWS_CLOUDTRAIL_S3_CONNECTOR,
} from './cloudtrail/awsCloudTrailS3Connector';
export { awsCloudTrailS3Settings } from './cloudtrail/settings';
export type { AwsCloudTrailS3Settings } from './cloudtrail/settings';
