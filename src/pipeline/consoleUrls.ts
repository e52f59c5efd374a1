// AWS console links. The console host depends on the partition; CodeBuild actions usually carry
// their own `externalExecutionUrl`, which wins when present.

export function consoleOrigin(region: string): string {
  if (region.startsWith('cn-')) {
    return `https://${region}.console.amazonaws.cn`;
  }
  if (region.startsWith('us-gov-')) {
    return `https://${region}.console.amazonaws-us-gov.com`;
  }
  return `https://${region}.console.aws.amazon.com`;
}

export function pipelineConsoleUrl(region: string, pipelineName: string): string {
  return `${consoleOrigin(region)}/codesuite/codepipeline/pipelines/${encodeURIComponent(pipelineName)}/view?region=${region}`;
}

export function executionConsoleUrl(region: string, pipelineName: string, executionId: string): string {
  return `${consoleOrigin(region)}/codesuite/codepipeline/pipelines/${encodeURIComponent(pipelineName)}/executions/${encodeURIComponent(executionId)}/timeline?region=${region}`;
}

/** `project:uuid` → the build's page. */
export function codeBuildConsoleUrl(region: string, buildId: string): string {
  const project = buildId.split(':', 1)[0] ?? buildId;
  return `${consoleOrigin(region)}/codesuite/codebuild/projects/${encodeURIComponent(project)}/build/${encodeURIComponent(buildId)}/log?region=${region}`;
}

/** Only web links go to the editor's opener: a service could return anything in a URL field. */
export function safeUrl(url: string | undefined): string | undefined {
  return url !== undefined && /^https?:\/\//i.test(url) ? url : undefined;
}
