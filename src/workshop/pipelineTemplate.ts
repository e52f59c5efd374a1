// What the extension has to know about a pipeline template, by name: the bundled file, the outputs
// that say what to follow (pipeline, repository, service, artifact bucket), the parameters that
// create or reuse repositories, and the stack that can create the ECS service first. Deploying,
// following, pushing and deleting read these names here, never from a string of their own, so a
// second template is one more object of this shape (see docs/architecture.md).
import type { StackOutput } from '../aws/cloudformation';

export interface PipelineTemplate {
  /** The template under media/templates/ (a user's copy replaces it through workshopPipeline.templatePath). */
  readonly file: string;
  /** Stack outputs, by what they name. */
  readonly outputs: {
    readonly pipelineName: string;
    /** HTTPS clone URL of the source repository (a fallback when GetRepository does not give one). */
    readonly cloneUrl: string;
    /** The ECS cluster and service the Deploy stage updates: the Service Health view shows them. */
    readonly cluster: string;
    readonly service: string;
    /** Versioned bucket emptied before the stack is deleted, so CloudFormation can delete it. */
    readonly artifactBucket: string;
  };
  /** Create-or-reuse switches; on a first deploy they follow whether the repository exists. */
  readonly repositorySwitches: readonly RepositorySwitch[];
  /** The service the pipeline deploys to, and the bundled stack that can create it first. */
  readonly serviceStack?: ServiceStackTemplate;
}

export interface RepositorySwitch {
  /** Which service holds the repository, so the deploy can look it up. */
  readonly kind: 'codeCommit' | 'ecr';
  /** Parameter that says "create it" ('true') or "reuse it" ('false'). */
  readonly switchParameter: string;
  /** Parameter holding the repository's name. */
  readonly nameParameter: string;
}

export interface ServiceStackTemplate {
  readonly file: string;
  /** The service stack's name beside a pipeline stack. */
  stackName(pipelineStack: string): string;
  /** Pipeline parameters that name the service the Deploy stage updates. */
  readonly clusterParameter: string;
  readonly serviceParameter: string;
  /** Pipeline parameter naming the ECR repository whose `imageTag` image the service runs. */
  readonly imageRepositoryParameter: string;
  readonly imageTag: string;
  /** Parameters with the same name and meaning in both templates. */
  readonly sharedParameters: readonly string[];
  /** Service stack parameter for the number of tasks (0 until an image exists). */
  readonly desiredCountParameter: string;
  /** That parameter's default in the bundled template: the tasks a service should run. */
  readonly defaultDesiredCount: number;
  /** Service stack output with the URL the application is served at. */
  readonly urlOutput: string;
}

/** An output's value, or undefined when the stack does not have it (or it is empty). */
export function outputValue(stack: { readonly outputs: readonly StackOutput[] }, key: string): string | undefined {
  const value = stack.outputs.find((output) => output.key === key)?.value;
  return value === undefined || value === '' ? undefined : value;
}
