import type { AwsSession } from './awsSession';
import { errorCode } from './errors';

/** Whether the ECR repository exists in the session's account and region. */
export async function ecrRepositoryExists(session: AwsSession, name: string): Promise<boolean> {
  const client = session.client('ecr', (sdk, config) => new sdk.ECRClient(config));
  try {
    const out = await client.send(new session.sdkModule.DescribeRepositoriesCommand({ repositoryNames: [name] }));
    return (out.repositories ?? []).length > 0;
  } catch (error) {
    if (errorCode(error) === 'RepositoryNotFoundException') {
      return false;
    }
    throw error;
  }
}

/** Whether the repository holds an image with `tag` (false also when the repository is missing). */
export async function ecrImageExists(session: AwsSession, repositoryName: string, tag: string): Promise<boolean> {
  const client = session.client('ecr', (sdk, config) => new sdk.ECRClient(config));
  try {
    const out = await client.send(
      new session.sdkModule.DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }),
    );
    return (out.imageDetails ?? []).length > 0;
  } catch (error) {
    if (errorCode(error) === 'RepositoryNotFoundException' || errorCode(error) === 'ImageNotFoundException') {
      return false;
    }
    throw error;
  }
}
