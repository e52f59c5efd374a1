import type { AwsSession } from './awsSession';
import { errorCode } from './errors';

export interface RepositoryInfo {
  name: string;
  cloneUrlHttp: string | undefined;
  defaultBranch: string | undefined;
}

/** The CodeCommit repository, or undefined when it does not exist. */
export async function getRepository(session: AwsSession, name: string): Promise<RepositoryInfo | undefined> {
  const client = session.client('codecommit', (sdk, config) => new sdk.CodeCommitClient(config));
  try {
    const out = await client.send(new session.sdkModule.GetRepositoryCommand({ repositoryName: name }));
    const meta = out.repositoryMetadata;
    return { name, cloneUrlHttp: meta?.cloneUrlHttp, defaultBranch: meta?.defaultBranch };
  } catch (error) {
    if (errorCode(error) === 'RepositoryDoesNotExistException') {
      return undefined;
    }
    throw error;
  }
}
