// CodeBuild runs each build with the project's service role: it assumes the role as
// codebuild.amazonaws.com for the project (session `AWSCodeBuild-<build uuid>`), and every call the
// build makes on the user's behalf — its log stream, the input and output artifacts in S3, report
// groups, and the AWS calls its commands make (ECR login and push) — is authorized against the
// role. The texts are CodeBuild's own for each denial.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Sandbox } from '../core/types';
import { assumeServiceRole, type RoleSession } from '../iam/serviceRoles';
import { projectArn, type Project } from './store';

export type BuildSession =
  { readonly ok: true; readonly session: RoleSession | undefined } | { readonly ok: false; readonly message: string };

/**
 * The session a build of `project` runs in; `session` is undefined for a project a test made
 * without a service role. `buildUuid` names the session as CodeBuild does.
 */
export function buildSession(sandbox: Sandbox, project: Project, buildUuid: string): BuildSession {
  if (!project.serviceRole) return { ok: true, session: undefined };
  const assumed = assumeServiceRole(sandbox, {
    roleArn: project.serviceRole,
    service: 'codebuild.amazonaws.com',
    sessionName: `AWSCodeBuild-${buildUuid}`,
    accountId: project.accountId,
    region: project.region,
    sourceArn: projectArn(project),
  });
  return assumed.ok
    ? { ok: true, session: assumed.session }
    : { ok: false, message: assumeDenied(project.serviceRole) };
}

/** StartBuild's InvalidInputException when the role's trust policy does not let CodeBuild in. */
export const assumeDenied = (roleArn: string): string =>
  `CodeBuild is not authorized to perform: sts:AssumeRole on ${roleArn}`;

/** The build's phase context when its log stream cannot be created (status code ACCESS_DENIED). */
export const logsDenied = (roleArn: string, buildArn: string, error: string): string =>
  `Service role ${roleArn} does not allow AWS CodeBuild to create Amazon CloudWatch Logs log streams for build ${buildArn}. Error message: ${error}`;

/** How the agent's Go S3 client prints S3's 403 (awserr.RequestFailure). */
export function s3AccessDenied(): string {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const hostId = randomBytes(48).toString('base64');
  return `AccessDenied: Access Denied\n\tstatus code: 403, request id: ${requestId}, host id: ${hostId}`;
}

/** How the agent's Go SDK prints a JSON service's AccessDeniedException. */
export const goAccessDenied = (message: string): string =>
  `AccessDeniedException: ${message}\n\tstatus code: 400, request id: ${randomUUID()}`;
