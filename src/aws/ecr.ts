// ECR through the session's client: whether a repository, and an image in it, exist.
import type { AwsSession } from './awsSession';
import { errorCode } from './errors';

export interface EcrApi {
  /** Whether the repository exists in the session's account and region. */
  repositoryExists(name: string): Promise<boolean>;
  /** Whether the repository holds an image with `tag` (false also when the repository is missing). */
  imageExists(repositoryName: string, tag: string): Promise<boolean>;
}

export function ecrApi(session: AwsSession): EcrApi {
  const sdk = session.sdkModule;
  const client = () => session.client('ecr', (s, config) => new s.ECRClient(config));
  return {
    async repositoryExists(name) {
      try {
        const out = await client().send(new sdk.DescribeRepositoriesCommand({ repositoryNames: [name] }));
        return (out.repositories ?? []).length > 0;
      } catch (error) {
        if (errorCode(error) === 'RepositoryNotFoundException') {
          return false;
        }
        throw error;
      }
    },
    async imageExists(repositoryName, tag) {
      try {
        const out = await client().send(
          new sdk.DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }),
        );
        return (out.imageDetails ?? []).length > 0;
      } catch (error) {
        if (errorCode(error) === 'RepositoryNotFoundException' || errorCode(error) === 'ImageNotFoundException') {
          return false;
        }
        throw error;
      }
    },
  };
}
