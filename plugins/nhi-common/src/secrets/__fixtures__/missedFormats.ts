/**
 * The formats the hand-written rules let through (issue 15), each as its owner's documentation
 * prints it, inside the sentence a person would type.
 */
export interface MissedFormat {
  name: string;
  /** The secret parts, none of which may appear in a finding. */
  secret: string[];
  text: string;
  origin: string;
}

const AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const STS_KEY_ID = 'ASIAIOSFODNN7EXAMPLE';
const SLACK_WEBHOOK =
  'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
const GHP_UPPER = 'GHP_WWPW5K4AXCAT4FNP0UCNZWJUVFK6LO0PINUX';

export const MISSED_FORMATS: MissedFormat[] = [
  {
    name: 'an AWS access key id with its secret beside it',
    secret: [AWS_KEY_ID, AWS_SECRET],
    text: `Rotated; the old pair was ${AWS_KEY_ID} ${AWS_SECRET}`,
    origin:
      'AWS IAM User Guide, "Manage access keys for IAM users" (the documentation example pair)',
  },
  {
    name: 'an AWS temporary access key id',
    secret: [STS_KEY_ID],
    text: `Session key ${STS_KEY_ID} used by the nightly job`,
    origin: 'AWS STS documentation, GetSessionToken response example',
  },
  {
    name: 'an AWS secret access key under its name',
    secret: [AWS_SECRET],
    text: `aws_secret_access_key = ${AWS_SECRET}`,
    origin: 'AWS CLI User Guide, "Configuration and credential file settings"',
  },
  {
    name: 'a Slack incoming webhook',
    secret: ['XXXXXXXXXXXXXXXXXXXXXXXX'],
    text: `Alerts post to ${SLACK_WEBHOOK}`,
    origin: 'Slack API docs, "Sending messages using incoming webhooks"',
  },
  {
    name: 'an Azure storage connection string',
    secret: [AZURITE_KEY, AZURITE_KEY.slice(0, 40)],
    text: `DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};EndpointSuffix=core.windows.net`,
    origin:
      'Microsoft Learn, "Use the Azurite emulator" (the well-known development account key)',
  },
  {
    name: 'an upper-case GHP_ token',
    secret: [GHP_UPPER],
    text: `token ${GHP_UPPER} for the release bot`,
    origin:
      'GitHub token format (github.blog 2021-04-05), upper-cased as typed in the trial',
  },
];
