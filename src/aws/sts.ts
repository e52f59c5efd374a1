// STS through the session's client: who the credentials belong to.
import type { AwsSession } from './awsSession';

export interface CallerIdentity {
  account: string;
  arn: string;
}

export interface StsApi {
  getCallerIdentity(): Promise<CallerIdentity>;
}

export function stsApi(session: AwsSession): StsApi {
  const sdk = session.sdkModule;
  const client = () => session.client('sts', (s, config) => new s.STSClient(config));
  return {
    async getCallerIdentity() {
      const out = await client().send(new sdk.GetCallerIdentityCommand({}));
      return { account: out.Account ?? 'unknown', arn: out.Arn ?? 'unknown' };
    },
  };
}
