// What a Fargate task's image pull finds: an image in the sandbox's ECR exists or it does not, and a
// missing one stops the task with the CannotPullContainerError Fargate (platform 1.4, containerd)
// reports. Images outside ECR (Docker Hub, public.ecr.aws) are taken as pullable: the sandbox has
// no copy of those registries.
import { findRepository } from '../ecr/store';
import type { Sandbox } from '../core/types';

export const ECR_IMAGE =
  /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*?)(?::([\w][\w.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?$/;

/** The stopped reason of a task whose image cannot be pulled, or undefined when it can be. */
export function imagePullError(sandbox: Sandbox, image: string): string | undefined {
  const ecr = ECR_IMAGE.exec(image);
  if (!ecr) return undefined;
  const [, accountId, region, repositoryName, tag, digest] = ecr;
  const registry = `${accountId}.dkr.ecr.${region}.amazonaws.com`;
  const ref = `${registry}/${repositoryName}${digest ? `@${digest}` : `:${tag ?? 'latest'}`}`;
  const repo = findRepository(sandbox, accountId, region, repositoryName);
  const found = repo?.images.some((i) => (digest ? i.imageDigest === digest : i.imageTags.includes(tag ?? 'latest')));
  if (found) return undefined;
  return `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${ref}: ${ref}: not found`;
}
