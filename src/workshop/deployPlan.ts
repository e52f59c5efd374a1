// "Deploy Workshop Pipeline" as a plan, free of the editor: read the template and the stack, choose
// each parameter's value (settings, the stack, the account's repositories), make sure the ECS
// service the pipeline deploys to exists (offering the service stack first), confirm the target,
// and run the stack deploys in order. The editor answers the questions (DeployPrompts) and runs
// each stack deploy under its progress UI (`run`); tests do both with scripts. A service stack
// created before any image exists runs no task; the plan remembers how many it should run, and the
// Service Health view offers to start them when the pipeline's first image lands.
import type { Where } from '../aws/awsContext';
import type { CloudFormationApi } from '../aws/cloudformation';
import type { CodeCommitApi } from '../aws/codecommit';
import type { EcrApi } from '../aws/ecr';
import type { EcsApi } from '../aws/ecs';
import type { DeployOutcome } from '../deploy/deployEngine';
import {
  parameterProblems,
  resolveParameterValues,
  unknownParameterNames,
  type ParameterValue,
} from '../deploy/parameterValues';
import { stackSituation } from '../deploy/stackStatus';
import type { ParameterSpec } from '../deploy/templateModel';
import type { LoadedTemplate } from '../deploy/templateSource';
import type { Logger } from '../shared/logger';
import type { Settings } from '../shared/settings';
import type { PipelineTemplate, ServiceStackTemplate } from './pipelineTemplate';
import { applyRepositoryDefaults } from './repositoryDefaults';
import { serviceStackSettings, withServiceOutputs } from './serviceStack';

/** What the plan reads in the account before it deploys anything. */
export interface DeployLookups {
  readonly cloudFormation: Pick<CloudFormationApi, 'describeStack'>;
  readonly ecs: Pick<EcsApi, 'serviceActive'>;
  readonly ecr: Pick<EcrApi, 'repositoryExists' | 'imageExists'>;
  readonly codeCommit: Pick<CodeCommitApi, 'getRepository'>;
}

/** The plan's questions. Undefined or false: the user cancelled, and nothing is deployed. */
export interface DeployPrompts {
  /** The pipeline's ECS service does not exist: deploy the service stack first, or the pipeline only? */
  serviceMissing(
    where: Where,
    cluster: string,
    service: string,
    serviceStack: string,
  ): Promise<'first' | 'skip' | undefined>;
  /** Some values would be refused by CloudFormation: enter them now? */
  fixParameters(problems: string[]): Promise<'options' | undefined>;
  /** Where the deploy goes, with the values that differ from the defaults: deploy, or walk the options? */
  confirmTarget(
    where: Where,
    stackName: string,
    exists: boolean,
    values: ParameterValue[],
    specs: ParameterSpec[],
  ): Promise<'deploy' | 'options' | undefined>;
  /** The stack name and every parameter, one by one. */
  askParameters(
    stackName: string,
    specs: ParameterSpec[],
    values: ParameterValue[],
  ): Promise<{ stackName: string; values: ParameterValue[] } | undefined>;
}

export interface StackRun {
  readonly stackName: string;
  readonly template: LoadedTemplate;
  readonly values: ParameterValue[];
  /** Called once the stack's change set is executed. */
  readonly onExecuted?: () => void;
}

export interface DeployPlanDeps {
  readonly template: PipelineTemplate;
  readonly where: Where;
  readonly settings: Pick<Settings, 'stackName' | 'parameters' | 'templatePath'>;
  readonly lookups: DeployLookups;
  readonly prompts: DeployPrompts;
  /** Loads a bundled template, or the user's copy at `userPath`; undefined once the loader has said why it cannot. */
  loadTemplate(file: string, userPath: string | undefined): Promise<LoadedTemplate | undefined>;
  /** Deploys one stack; undefined when it could not run and the runner has said why. */
  run(request: StackRun): Promise<DeployOutcome | undefined>;
  /** Makes `stackName` the stack the views follow: the one deployed under a name chosen in the options. */
  follow(stackName: string): void;
  /** What went wrong, phrased for the user (profile, next step). */
  explainError(error: unknown): string;
  /**
   * The service stack created the service with no task because its image does not exist yet:
   * remember that it should run `desired` tasks once the image exists.
   */
  rememberStartIntent?(service: { readonly cluster: string; readonly service: string }, desired: number): void;
  readonly log: Logger;
}

/** The stack deploy that ended the plan and its outcome; undefined when nothing is left to report. */
export type DeployPlanResult = { readonly stackName: string; readonly outcome: DeployOutcome } | undefined;

export async function runDeployPlan(deps: DeployPlanDeps): Promise<DeployPlanResult> {
  const { template, settings, lookups, prompts, log } = deps;
  const loaded = await deps.loadTemplate(template.file, settings.templatePath);
  if (!loaded) {
    return undefined;
  }
  const unknown = unknownParameterNames(loaded.specs, settings.parameters);
  if (unknown.length > 0) {
    log.warn(
      `workshopPipeline.parameters names parameters the template does not have: ${unknown.join(', ')}. They are ignored.`,
    );
  }

  let stackName = settings.stackName;
  const stack = await lookups.cloudFormation.describeStack(stackName);
  const updatable = stackSituation(stack?.status).kind === 'updatable';
  // A stack that will be recreated has no values to keep (UsePreviousValue would be refused).
  let values = resolveParameterValues(loaded.specs, settings.parameters, updatable ? stack?.parameters : undefined);
  if (!updatable) {
    values = await applyRepositoryDefaults(template.repositorySwitches, values, (repository, name) =>
      repository.kind === 'codeCommit'
        ? lookups.codeCommit.getRepository(name).then((r) => r !== undefined)
        : lookups.ecr.repositoryExists(name),
    );
  }
  const service = template.serviceStack;
  const serviceChoice = service ? await targetService(deps, service, values, stackName) : 'exists';
  if (serviceChoice === undefined) {
    return undefined;
  }
  const problems = parameterProblems(loaded.specs, values);
  const choice =
    problems.length > 0
      ? await prompts.fixParameters(problems)
      : await prompts.confirmTarget(deps.where, stackName, updatable, values, loaded.specs);
  if (choice === undefined) {
    return undefined;
  }
  if (choice === 'options') {
    const asked = await prompts.askParameters(stackName, loaded.specs, values);
    if (!asked) {
      return undefined;
    }
    ({ stackName, values } = asked);
  }

  if (service && serviceChoice === 'first') {
    const deployed = await deployServiceStack(deps, service, stackName, values);
    if (deployed.kind === 'ended') {
      return deployed.result;
    }
    values = deployed.values;
  }

  // A stack deployed under another name than the followed one becomes the followed one, from the
  // moment it exists (its change set executed), so the views show it while it is created.
  const chosen = stackName;
  const outcome = await deps.run({
    stackName: chosen,
    template: loaded,
    values,
    ...(chosen !== settings.stackName ? { onExecuted: () => deps.follow(chosen) } : {}),
  });
  return outcome && { stackName: chosen, outcome };
}

/**
 * "Deploy Service Stack" on its own (the Service Health view, or the notification of a Deploy that
 * failed for lack of a service): the service stack for the followed pipeline stack's values (its
 * cluster and service names), with no task until an image exists.
 */
export async function runServiceStackPlan(deps: DeployPlanDeps): Promise<DeployPlanResult> {
  const { template, settings, lookups } = deps;
  const service = template.serviceStack;
  if (!service) {
    return undefined;
  }
  const loaded = await deps.loadTemplate(template.file, settings.templatePath);
  if (!loaded) {
    return undefined;
  }
  const stack = await lookups.cloudFormation.describeStack(settings.stackName);
  const updatable = stackSituation(stack?.status).kind === 'updatable';
  const values = resolveParameterValues(loaded.specs, settings.parameters, updatable ? stack?.parameters : undefined);
  const deployed = await deployServiceStack(deps, service, settings.stackName, values);
  return deployed.result;
}

type ServiceStackDeploy =
  | { readonly kind: 'ended'; readonly result: DeployPlanResult }
  | { readonly kind: 'deployed'; readonly values: ParameterValue[]; readonly result: DeployPlanResult };

/**
 * Deploys the service stack beside `stackName` with the pipeline's shared values; with no task
 * when the image does not exist yet (tasks could not pull it), remembering how many it should run.
 * `deployed` carries the pipeline values aimed at what the stack created.
 */
async function deployServiceStack(
  deps: DeployPlanDeps,
  service: ServiceStackTemplate,
  stackName: string,
  values: ParameterValue[],
): Promise<ServiceStackDeploy> {
  const { lookups, log } = deps;
  const serviceTemplate = await deps.loadTemplate(service.file, undefined);
  if (!serviceTemplate) {
    return { kind: 'ended', result: undefined };
  }
  const serviceStack = service.stackName(stackName);
  const repository = valueOf(values, service.imageRepositoryParameter) ?? '';
  const imageExists =
    repository !== '' &&
    (await lookups.ecr.imageExists(repository, service.imageTag).catch((error: unknown) => {
      log.warn(`Could not check ${repository} for an image: ${deps.explainError(error)}`);
      return false;
    }));
  const serviceValues = resolveParameterValues(
    serviceTemplate.specs,
    serviceStackSettings(service, values, imageExists),
    undefined,
  );
  const outcome = await deps.run({ stackName: serviceStack, template: serviceTemplate, values: serviceValues });
  if (outcome?.kind !== 'succeeded' && outcome?.kind !== 'upToDate') {
    return { kind: 'ended', result: outcome && { stackName: serviceStack, outcome } };
  }
  const aimed = withServiceOutputs(service, values, outcome.stack.outputs);
  if (!imageExists) {
    const desired = Number(
      serviceTemplate.specs.find((s) => s.name === service.desiredCountParameter)?.default ??
        service.defaultDesiredCount,
    );
    const cluster = valueOf(aimed, service.clusterParameter);
    const serviceName = valueOf(aimed, service.serviceParameter);
    if (cluster && serviceName && desired > 0) {
      deps.rememberStartIntent?.({ cluster, service: serviceName }, desired);
    }
    log.info(
      `Stack ${serviceStack} starts service ${serviceName ?? ''} with 0 tasks because ${repository} has no image yet; once the pipeline's first run pushes one, Service Health offers to start ${desired}.`,
    );
  }
  return { kind: 'deployed', values: aimed, result: { stackName: serviceStack, outcome } };
}

/**
 * The ECS service the pipeline deploys to must exist. If it does not, offer the bundled service
 * stack first; undefined means the user cancelled.
 */
async function targetService(
  { lookups, prompts, where }: DeployPlanDeps,
  service: ServiceStackTemplate,
  values: readonly ParameterValue[],
  stackName: string,
): Promise<'first' | 'skip' | 'exists' | undefined> {
  const cluster = valueOf(values, service.clusterParameter);
  const serviceName = valueOf(values, service.serviceParameter);
  if (!cluster || !serviceName || (await lookups.ecs.serviceActive(cluster, serviceName))) {
    return 'exists';
  }
  return prompts.serviceMissing(where, cluster, serviceName, service.stackName(stackName));
}

function valueOf(values: readonly ParameterValue[], name: string): string | undefined {
  return values.find((v) => v.name === name)?.value;
}
