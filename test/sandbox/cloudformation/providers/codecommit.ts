// Placeholder AWS::CodeCommit::Repository: record-only until the CodeCommit service registers a
// provider that creates the repository (registerResourceProvider replaces this one).
import { randomUUID } from './names.js';
import { recordOnlyProvider, stringProp } from './recordOnly.js';
import type { ResourceProvider } from './registry.js';

export const codeCommitProviders: Record<string, ResourceProvider> = {
  'AWS::CodeCommit::Repository': recordOnlyProvider({
    type: 'AWS::CodeCommit::Repository',
    attributes: ['Arn', 'CloneUrlHttp', 'CloneUrlSsh', 'Name', 'KmsKeyId'],
    createMs: 3_000,
    deleteMs: 2_000,
    physicalId: () => randomUUID(),
    attributeValues: (_id, p, ctx) => {
      const name = stringProp(p, 'RepositoryName') ?? ctx.logicalId;
      return {
        Arn: `arn:aws:codecommit:${ctx.region}:${ctx.accountId}:${name}`,
        CloneUrlHttp: `http://${ctx.host}/v1/repos/${name}`,
        CloneUrlSsh: `ssh://git-codecommit.${ctx.region}.amazonaws.com/v1/repos/${name}`,
        Name: name,
        KmsKeyId: 'alias/aws/codecommit',
      };
    },
  }),
};
