// CodeCommit through the session's client: the repository a pipeline's source action watches.
import type { AwsSession } from './awsSession';
import { errorCode } from './errors';

export interface RepositoryInfo {
  name: string;
  cloneUrlHttp: string | undefined;
  defaultBranch: string | undefined;
}

export interface CodeCommitApi {
  /** The repository, or undefined when it does not exist. */
  getRepository(name: string): Promise<RepositoryInfo | undefined>;
}

export function codeCommitApi(session: AwsSession): CodeCommitApi {
  const sdk = session.sdkModule;
  const client = () => session.client('codecommit', (s, config) => new s.CodeCommitClient(config));
  return {
    async getRepository(name) {
      try {
        const out = await client().send(new sdk.GetRepositoryCommand({ repositoryName: name }));
        const meta = out.repositoryMetadata;
        return { name, cloneUrlHttp: meta?.cloneUrlHttp, defaultBranch: meta?.defaultBranch };
      } catch (error) {
        if (errorCode(error) === 'RepositoryDoesNotExistException') {
          return undefined;
        }
        throw error;
      }
    },
  };
}
