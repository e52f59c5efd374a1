// STS: only GetCallerIdentity, which the extension uses to show who is signed in.
import type { ServiceDefinition } from '../core/types';

export const stsService: ServiceDefinition = {
  signingName: 'sts',
  protocol: 'awsQuery',
  xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
  unknownKeyErrorCode: 'InvalidClientTokenId',
  operations: {
    GetCallerIdentity: (_input, ctx) => ({
      Arn: ctx.principal?.arn ?? `arn:aws:iam::${ctx.accountId}:root`,
      UserId: ctx.principal?.userId ?? ctx.accountId,
      Account: ctx.accountId,
    }),
  },
};
