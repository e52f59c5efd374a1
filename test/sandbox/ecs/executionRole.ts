// What a Fargate task's start does with the task definition's execution role: ECS assumes it as
// ecs-tasks.amazonaws.com, gets the registry token (ecr:GetAuthorizationToken), pulls the image's
// manifest (ecr:BatchGetImage) and layers (ecr:GetDownloadUrlForLayer) from ECR, and creates the
// awslogs stream (logs:CreateLogStream). A refusal stops the task with the reason Fargate (platform
// 1.4) gives. The task role is the application's, never used for the pull.
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '../core/types';
import { str } from '../core/values';
import { findRepository, repositoryArn } from '../ecr/store';
import { assumeServiceRole, type RoleSession } from '../iam/serviceRoles';
import { ECR_IMAGE, imagePullError } from './imagePull';
import type { Task, TaskDefinition } from './store';

interface ContainerDefinition {
  readonly name?: unknown;
  readonly image?: unknown;
  readonly logConfiguration?: { logDriver?: unknown; options?: Record<string, unknown> };
}

const goAccessDenied = (message: string, code = 'AccessDeniedException'): string =>
  `${code}: ${message}\n\tstatus code: 400, request id: ${randomUUID()}`;

/** Why the task cannot start, or undefined when every container's image and log stream are reachable. */
export function taskStartError(sandbox: Sandbox, task: Task, td: TaskDefinition | undefined): string | undefined {
  const containers = ((td?.body.containerDefinitions ?? []) as ContainerDefinition[]).filter(
    (c) => typeof c.image === 'string',
  );
  const ecrImages = containers.map((c) => String(c.image)).filter((image) => ECR_IMAGE.test(image));
  const logged = containers.filter((c) => c.logConfiguration?.logDriver === 'awslogs');
  const roleArn = typeof td?.body.executionRoleArn === 'string' ? td.body.executionRoleArn : undefined;
  let session: RoleSession | undefined;
  if (roleArn && (ecrImages.length > 0 || logged.length > 0)) {
    const [, region = '', accountId = ''] = /^arn:aws:ecs:([^:]+):(\d{12}):/.exec(task.taskArn) ?? [];
    const assumed = assumeServiceRole(sandbox, {
      roleArn,
      service: 'ecs-tasks.amazonaws.com',
      sessionName: task.taskArn.split('/').pop() ?? 'task',
      accountId,
      region,
      sourceArn: task.taskArn,
    });
    if (!assumed.ok)
      return `ECS was unable to assume the role '${roleArn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`;
    session = assumed.session;
  }
  if (ecrImages.length > 0 && session) {
    const token = session.can('ecr:GetAuthorizationToken', '*');
    if (!token.allowed)
      return `ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): ${goAccessDenied(token.message)}`;
  }
  for (const image of ecrImages) {
    const [, accountId = '', region = '', repositoryName = '', tag, digest] = ECR_IMAGE.exec(image) ?? [];
    const registry = `${accountId}.dkr.ecr.${region}.amazonaws.com`;
    const reference = digest ?? tag ?? 'latest';
    const ref = `${registry}/${repositoryName}${digest ? `@${digest}` : `:${reference}`}`;
    const repoArn = repositoryArn({ accountId, region, repositoryName });
    // Fargate refuses to register an ECR image without an execution role (store.ts); a definition
    // made before that check, or by a test, pulls as it always did.
    const manifest = session?.can('ecr:BatchGetImage', repoArn);
    if (manifest && !manifest.allowed)
      return `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${ref}: pulling from host ${registry} failed with status code [manifests ${reference}]: 403 Forbidden`;
    const missing = imagePullError(sandbox, image);
    if (missing) return missing;
    if (session && !session.can('ecr:GetDownloadUrlForLayer', repoArn).allowed) {
      const layer = findRepository(sandbox, accountId, region, repositoryName)?.layers?.[0] ?? 'sha256:';
      return `CannotPullContainerError: failed to copy: httpReadSeeker: failed open: unexpected status code https://${registry}/v2/${repositoryName}/blobs/${layer}: 403 Forbidden`;
    }
  }
  for (const c of containers.filter((c) => !ECR_IMAGE.test(String(c.image)))) {
    const missing = imagePullError(sandbox, String(c.image));
    if (missing) return missing;
  }
  for (const c of logged) {
    const options = c.logConfiguration?.options ?? {};
    const group = str(options['awslogs-group'] ?? '');
    const region = str(options['awslogs-region'] ?? '');
    const prefix = options['awslogs-stream-prefix'];
    const taskId = task.taskArn.split('/').pop() ?? '';
    const stream = typeof prefix === 'string' ? `${prefix}/${String(c.name)}/${taskId}` : taskId;
    const accountId = /^arn:aws:ecs:[^:]+:(\d{12}):/.exec(task.taskArn)?.[1] ?? '';
    const streamArn = `arn:aws:logs:${region}:${accountId}:log-group:${group}:log-stream:${stream}`;
    const create = session?.can('logs:CreateLogStream', streamArn);
    if (create && !create.allowed)
      return `ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ${goAccessDenied(create.message)} : exit status 1`;
  }
  return undefined;
}
