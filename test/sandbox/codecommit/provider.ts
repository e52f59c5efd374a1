// AWS::CodeCommit::Repository: creates the repository in the sandbox's CodeCommit (metadata and a
// bare git repository), so the stack's CloneUrlHttp can be cloned and pushed to right away.
// As on AWS, Ref is the repository id and GetAtt Name/Arn/CloneUrlHttp/CloneUrlSsh name the repository.
import { randomUUID } from 'node:crypto';
import { ResourceFailure, type ProviderContext, type ResourceProvider } from '../cloudformation/providers/registry';
import { AwsError } from '../core/types';
import { codeCommitState, createRepository, deleteRepository, type RepositoryRecord } from './repositories';

function attributes(repo: RepositoryRecord, ctx: ProviderContext): Record<string, unknown> {
  return {
    Arn: `arn:aws:codecommit:${repo.region}:${repo.accountId}:${repo.repositoryName}`,
    CloneUrlHttp: `http://${ctx.host}/v1/repos/${repo.repositoryName}`,
    CloneUrlSsh: `ssh://git-codecommit.${repo.region}.amazonaws.com/v1/repos/${repo.repositoryName}`,
    Name: repo.repositoryName,
    KmsKeyId: 'alias/aws/codecommit',
  };
}

function byId(ctx: ProviderContext, repositoryId: string): RepositoryRecord | undefined {
  return Object.values(codeCommitState(ctx.sandbox).repositories).find(
    (r) => r.repositoryId === repositoryId && r.accountId === ctx.accountId && r.region === ctx.region,
  );
}

export const codeCommitResourceProviders: Record<string, ResourceProvider> = {
  'AWS::CodeCommit::Repository': {
    attributes: ['Arn', 'CloneUrlHttp', 'CloneUrlSsh', 'Name', 'KmsKeyId'],
    async create(p, ctx) {
      await ctx.sandbox.clock.sleep(3_000, ctx.signal);
      let repo: RepositoryRecord;
      try {
        repo = await createRepository(ctx.sandbox, {
          accountId: ctx.accountId,
          region: ctx.region,
          repositoryName: p.RepositoryName,
          ...(typeof p.RepositoryDescription === 'string' ? { repositoryDescription: p.RepositoryDescription } : {}),
        });
      } catch (error) {
        if (error instanceof AwsError) {
          throw new ResourceFailure(
            `Resource handler returned message: "${error.message} (Service: CodeCommit, Status Code: 400, Request ID: ${randomUUID()})" (HandlerErrorCode: ${error.code === 'RepositoryNameExistsException' ? 'AlreadyExists' : 'InvalidRequest'})`,
          );
        }
        throw error;
      }
      return { physicalId: repo.repositoryId, attributes: attributes(repo, ctx) };
    },
    update(repositoryId, _p, _previous, ctx) {
      const repo = byId(ctx, repositoryId);
      if (!repo)
        return Promise.reject(
          new ResourceFailure(
            `Resource handler returned message: "Repository ${repositoryId} does not exist." (HandlerErrorCode: NotFound)`,
          ),
        );
      return Promise.resolve({ attributes: attributes(repo, ctx) });
    },
    async delete(repositoryId, _p, ctx) {
      const repo = byId(ctx, repositoryId);
      if (repo) await deleteRepository(ctx.sandbox, ctx.accountId, ctx.region, repo.repositoryName);
    },
  },
};
