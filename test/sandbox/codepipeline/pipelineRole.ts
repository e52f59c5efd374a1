// CodePipeline runs each action with the pipeline's service role: it assumes the role (as
// codepipeline.amazonaws.com, for this pipeline) and every call the action makes on the user's
// behalf — the artifact bucket, CodeCommit, CodeBuild, ECS, iam:PassRole — is authorized against
// the role's policies. A denied call fails the action with the text CodePipeline shows for it.
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '../core/types';
import { assumeServiceRole, type RoleSession } from '../iam/serviceRoles';
import type { PipelineRecord } from './store';

export type PipelineSession =
  { readonly ok: true; readonly session: RoleSession | undefined } | { readonly ok: false; readonly message: string };

/** The session the action runs in; `session` is undefined for a pipeline a test made without a role. */
export function pipelineSession(sandbox: Sandbox, pipeline: PipelineRecord): PipelineSession {
  const roleArn = pipeline.declaration.roleArn;
  if (!roleArn) return { ok: true, session: undefined };
  const assumed = assumeServiceRole(sandbox, {
    roleArn,
    service: 'codepipeline.amazonaws.com',
    // CodePipeline names its sessions with the epoch milliseconds.
    sessionName: String(Date.now()),
    accountId: pipeline.accountId,
    region: pipeline.region,
    sourceArn: `arn:aws:codepipeline:${pipeline.region}:${pipeline.accountId}:${pipeline.declaration.name}`,
  });
  return assumed.ok
    ? { ok: true, session: assumed.session }
    : { ok: false, message: `CodePipeline is not authorized to perform AssumeRole on role ${roleArn}` };
}

/** The first of the calls the session may not make: its AccessDenied message, or undefined. */
export function deniedCall(
  session: RoleSession | undefined,
  calls: readonly (readonly [action: string, resource: string, keys?: Readonly<Record<string, string | undefined>>])[],
): string | undefined {
  if (!session) return undefined;
  for (const [action, resource, keys] of calls) {
    const result = session.can(action, resource, keys);
    if (!result.allowed) return result.message;
  }
  return undefined;
}

/** How an AWS SDK for Java error reads inside CodePipeline's messages (`Error calling startBuild: …`). */
export function javaSdkError(message: string, service: string, code: string): string {
  return `${message} (Service: ${service}; Status Code: 400; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`;
}

export const S3_ARTIFACT_DENIED = (bucket: string, key: string): string =>
  `Unable to access the artifact with Amazon S3 object key '${key}' located in the Amazon S3 artifact bucket '${bucket}'. The provided role does not have sufficient permissions.`;

export const CODECOMMIT_DENIED = (repository: string, error: string): string =>
  `The service role or action role doesn\u2019t have the permissions required to access the AWS CodeCommit repository named ${repository}. Update the IAM role permissions, and then try again. Error: ${error}`;

/** What the ECS action says for any call ECS refused (it names neither the call nor the role). */
export const ECS_DENIED = 'The provided role does not have sufficient permissions to access ECS';
