import type { AwsSession } from './awsSession';

export interface CallerIdentity {
  account: string;
  arn: string;
}

export async function getCallerIdentity(session: AwsSession): Promise<CallerIdentity> {
  const sts = session.client('sts', (sdk, config) => new sdk.STSClient(config));
  const { GetCallerIdentityCommand } = session.sdkModule;
  const out = await sts.send(new GetCallerIdentityCommand({}));
  return { account: out.Account ?? 'unknown', arn: out.Arn ?? 'unknown' };
}
