// CodeCommit (awsJson1_1, CodeCommit_20150413): the repository API the extension and the
// CloudFormation provider use, plus git smart HTTP at /v1/repos/<name> (gitHttp.ts).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { registerResourceProvider } from '../cloudformation/providers/registry';
import { AwsError, type RequestContext, type ServiceDefinition } from '../core/types';
import { gitHttpRoute } from './gitHttp';
import { codeCommitResourceProviders } from './provider';
import {
  createRepository,
  deleteRepository,
  listRepositories,
  readBranches,
  repositoryDir,
  repositoryMetadata,
  requireRepository,
} from './repositories';

for (const [type, provider] of Object.entries(codeCommitResourceProviders)) registerResourceProvider(type, provider);

/** The real API returns up to 1,000 repositories a page; tests lower it with the scenario `{ codecommit: { pageSize: N } }`. */
const DEFAULT_PAGE_SIZE = 1000;

export const codeCommitService: ServiceDefinition = {
  signingName: 'codecommit',
  protocol: 'awsJson1_1',
  targetPrefix: 'CodeCommit_20150413',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  routes: [gitHttpRoute],
  reset: async (sandbox) => {
    await rm(join(sandbox.dataDir, 'codecommit'), { recursive: true, force: true });
  },
  operations: {
    CreateRepository: async (input, ctx) => {
      const record = await createRepository(ctx.sandbox, {
        accountId: ctx.accountId,
        region: ctx.region,
        repositoryName: input.repositoryName,
        ...(typeof input.repositoryDescription === 'string'
          ? { repositoryDescription: input.repositoryDescription }
          : {}),
        ...(isStringMap(input.tags) ? { tags: input.tags } : {}),
      });
      return { repositoryMetadata: repositoryMetadata(record, ctx.host) };
    },

    GetRepository: (input, ctx) => ({
      repositoryMetadata: repositoryMetadata(
        requireRepository(ctx.sandbox, ctx.accountId, ctx.region, input.repositoryName),
        ctx.host,
      ),
    }),

    ListRepositories: (input, ctx) => {
      const sortBy = input.sortBy ?? 'repositoryName';
      const order = input.order ?? 'ascending';
      if (sortBy !== 'repositoryName' && sortBy !== 'lastModifiedDate')
        throw invalidEnum('sortBy', sortBy, 'repositoryName, lastModifiedDate');
      if (order !== 'ascending' && order !== 'descending') throw invalidEnum('order', order, 'ascending, descending');
      const repos = listRepositories(ctx.sandbox, ctx.accountId, ctx.region).sort((a, b) =>
        sortBy === 'repositoryName'
          ? a.repositoryName.localeCompare(b.repositoryName)
          : a.lastModifiedDate.localeCompare(b.lastModifiedDate),
      );
      if (order === 'descending') repos.reverse();
      const start = input.nextToken === undefined ? 0 : decodeToken(input.nextToken);
      const size = pageSize(ctx);
      const page = repos.slice(start, start + size);
      return {
        repositories: page.map((r) => ({ repositoryName: r.repositoryName, repositoryId: r.repositoryId })),
        ...(start + size < repos.length ? { nextToken: encodeToken(start + size) } : {}),
      };
    },

    GetBranch: async (input, ctx) => {
      const repo = requireRepository(ctx.sandbox, ctx.accountId, ctx.region, input.repositoryName);
      const branchName = input.branchName;
      if (branchName === undefined || branchName === null || branchName === '') {
        throw new AwsError('BranchNameRequiredException', 'A branch name is required, but was not specified.');
      }
      if (typeof branchName !== 'string')
        throw new AwsError('InvalidBranchNameException', 'The specified branch name is not valid.');
      const commitId = (await readBranches(repositoryDir(ctx.sandbox, repo))).get(branchName);
      if (commitId === undefined)
        throw new AwsError('BranchDoesNotExistException', `Branch ${branchName} does not exist`);
      return { branch: { branchName, commitId } };
    },

    DeleteRepository: async (input, ctx) => {
      const deleted = await deleteRepository(ctx.sandbox, ctx.accountId, ctx.region, input.repositoryName);
      // The real API answers a repeated delete with a null repository id rather than an error.
      return deleted ? { repositoryId: deleted.repositoryId } : {};
    },
  },
};

export { codeCommitState, createRepository, repositoryMetadata } from './repositories';

function pageSize(ctx: RequestContext): number {
  const scenario = ctx.sandbox.scenarios.codecommit as { pageSize?: unknown } | undefined;
  const size = Number(scenario?.pageSize);
  return Number.isInteger(size) && size > 0 ? size : DEFAULT_PAGE_SIZE;
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodeToken(token: unknown): number {
  try {
    const { offset } = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the service's error
  }
  throw new AwsError('InvalidContinuationTokenException', 'The specified continuation token is not valid.');
}

function invalidEnum(name: string, value: unknown, allowed: string): AwsError {
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${name}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed}]`,
  );
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
