// The deploy plan without the editor: the bundled templates, an account described by scripted
// look-ups, questions answered by a script, and stack deploys recorded instead of run.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { StackDescription } from '../../../src/aws/cloudformation';
import type { DeployOutcome } from '../../../src/deploy/deployEngine';
import type { ParameterValue } from '../../../src/deploy/parameterValues';
import { loadTemplate } from '../../../src/deploy/templateSource';
import { silentLogger } from '../../../src/shared/logger';
import {
  runDeployPlan,
  type DeployPlanDeps,
  type DeployPrompts,
  type StackRun,
} from '../../../src/workshop/deployPlan';
import { WORKSHOP_TEMPLATE } from '../../../src/workshop/workshopTemplate';

const where = {
  account: '123456789012',
  arn: 'arn:aws:iam::123456789012:user/u',
  region: 'eu-west-1',
  profile: 'default',
};

function stack(
  name: string,
  status: string,
  parameters: Record<string, string> = {},
  outputs: Record<string, string> = {},
): StackDescription {
  return {
    id: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${name}/1`,
    name,
    status,
    statusReason: undefined,
    parameters: new Map(Object.entries(parameters)),
    outputs: Object.entries(outputs).map(([key, value]) => ({ key, value, description: undefined })),
  };
}

interface Account {
  stacks?: Record<string, StackDescription>;
  services?: string[];
  codeCommitRepositories?: string[];
  ecrRepositories?: string[];
  images?: string[];
}

interface Script {
  serviceMissing?: 'first' | 'skip';
  confirmTarget?: 'deploy' | 'options';
  askParameters?: (stackName: string, values: ParameterValue[]) => { stackName: string; values: ParameterValue[] };
  fixParameters?: 'options';
  /** Outcome of each stack deploy, by stack name; default: succeeded with no outputs. */
  outcomes?: Record<string, (run: StackRun) => DeployOutcome>;
  settings?: { stackName?: string; parameters?: Record<string, string> };
}

async function plan(account: Account, script: Script) {
  const asked: string[] = [];
  const runs: StackRun[] = [];
  const followed: string[] = [];
  const looked: string[] = [];
  const intents: string[] = [];
  const prompts: DeployPrompts = {
    serviceMissing: (_where, cluster, service, serviceStack) => {
      asked.push(`serviceMissing ${cluster}/${service} → ${serviceStack}`);
      return Promise.resolve(script.serviceMissing);
    },
    fixParameters: (problems) => {
      asked.push(`fixParameters ${problems.length}`);
      return Promise.resolve(script.fixParameters);
    },
    confirmTarget: (_where, stackName, exists) => {
      asked.push(`confirmTarget ${stackName} ${exists ? 'update' : 'create'}`);
      return Promise.resolve(script.confirmTarget);
    },
    askParameters: (stackName, _specs, values) => {
      asked.push(`askParameters ${stackName}`);
      return Promise.resolve(script.askParameters?.(stackName, values));
    },
  };
  const deps: DeployPlanDeps = {
    template: WORKSHOP_TEMPLATE,
    where,
    settings: { stackName: 'WorkshopPipeline', parameters: {}, templatePath: undefined, ...script.settings },
    lookups: {
      cloudFormation: { describeStack: (name) => Promise.resolve(account.stacks?.[name]) },
      ecs: {
        serviceActive: (cluster, service) =>
          Promise.resolve(account.services?.includes(`${cluster}/${service}`) ?? false),
      },
      ecr: {
        repositoryExists: (name) => {
          looked.push(`ecr ${name}`);
          return Promise.resolve(account.ecrRepositories?.includes(name) ?? false);
        },
        imageExists: (repository, tag) => Promise.resolve(account.images?.includes(`${repository}:${tag}`) ?? false),
      },
      codeCommit: {
        getRepository: (name) => {
          looked.push(`codecommit ${name}`);
          return Promise.resolve(
            account.codeCommitRepositories?.includes(name)
              ? {
                  name,
                  cloneUrlHttp: `https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/${name}`,
                  defaultBranch: 'master',
                }
              : undefined,
          );
        },
      },
    },
    prompts,
    loadTemplate: (file) => loadTemplate(join('media', 'templates', file)),
    run: (request) => {
      runs.push(request);
      const outcome =
        script.outcomes?.[request.stackName]?.(request) ??
        ({ kind: 'succeeded', stack: stack(request.stackName, 'CREATE_COMPLETE'), created: true } as const);
      if (outcome.kind === 'succeeded') {
        request.onExecuted?.();
      }
      return Promise.resolve(outcome);
    },
    follow: (stackName) => followed.push(stackName),
    explainError: (error) => String(error),
    rememberStartIntent: ({ cluster, service }, desired) => intents.push(`${cluster}/${service} ${desired}`),
    log: silentLogger,
  };
  const result = await runDeployPlan(deps);
  return { result, asked, runs, followed, looked, intents };
}

const valueOf = (run: StackRun, name: string) => run.values.find((v) => v.name === name);

describe('deploy plan', () => {
  it('in a fresh account, deploys the service stack first (no tasks until an image exists), then the pipeline aimed at what it created', async () => {
    const { result, asked, runs, followed, intents } = await plan(
      {},
      {
        serviceMissing: 'first',
        confirmTarget: 'deploy',
        outcomes: {
          'WorkshopPipeline-Service': (run) => ({
            kind: 'succeeded',
            created: true,
            stack: stack(
              run.stackName,
              'CREATE_COMPLETE',
              {},
              { ClusterName: 'Cluster-abc', ServiceName: 'Service-xyz' },
            ),
          }),
        },
      },
    );
    assert.deepEqual(asked, [
      'serviceMissing ModernizationCluster/ModernService → WorkshopPipeline-Service',
      'confirmTarget WorkshopPipeline create',
    ]);
    assert.deepEqual(
      runs.map((r) => r.stackName),
      ['WorkshopPipeline-Service', 'WorkshopPipeline'],
    );
    const [service, pipeline] = runs;
    assert.equal(service.template.path, join('media', 'templates', 'service.yaml'));
    assert.equal(valueOf(service, 'DesiredCount')?.value, '0');
    // …and remembers that it should run the template's 2 tasks once the first image exists.
    assert.deepEqual(intents, ['Cluster-abc/Service-xyz 2']);
    assert.equal(valueOf(service, 'ContainerPort')?.value, '8080');
    // Repositories the account lacks are created by the stack.
    assert.deepEqual(valueOf(pipeline, 'CreateCodeCommitRepository'), {
      name: 'CreateCodeCommitRepository',
      value: 'true',
      usePrevious: false,
      source: 'detected',
    });
    assert.equal(valueOf(pipeline, 'CreateEcrRepository')?.value, 'true');
    assert.equal(valueOf(pipeline, 'ClusterName')?.value, 'Cluster-abc');
    assert.equal(valueOf(pipeline, 'ServiceName')?.value, 'Service-xyz');
    assert.equal(result?.stackName, 'WorkshopPipeline');
    assert.equal(result?.outcome.kind, 'succeeded');
    assert.deepEqual(followed, [], 'the followed stack is the deployed one already');
  });

  it('reuses the repositories the account already has, and deploys only the pipeline when its service exists', async () => {
    const { asked, runs, looked } = await plan(
      {
        services: ['ModernizationCluster/ModernService'],
        codeCommitRepositories: ['modernization-workshop'],
        ecrRepositories: ['modernization-workshop'],
      },
      { confirmTarget: 'deploy' },
    );
    assert.deepEqual(asked, ['confirmTarget WorkshopPipeline create']);
    assert.deepEqual(
      runs.map((r) => r.stackName),
      ['WorkshopPipeline'],
    );
    assert.equal(valueOf(runs[0], 'CreateCodeCommitRepository')?.value, 'false');
    assert.equal(valueOf(runs[0], 'CreateEcrRepository')?.value, 'false');
    assert.deepEqual(looked, ['codecommit modernization-workshop', 'ecr modernization-workshop']);
  });

  it('a failed service stack ends the plan: its outcome is reported and the pipeline is not deployed', async () => {
    const failed: DeployOutcome = {
      kind: 'failed',
      message: 'Cluster: CREATE_FAILED',
      stack: undefined,
      rootCause: undefined,
    };
    const { result, runs } = await plan(
      {},
      { serviceMissing: 'first', confirmTarget: 'deploy', outcomes: { 'WorkshopPipeline-Service': () => failed } },
    );
    assert.deepEqual(
      runs.map((r) => r.stackName),
      ['WorkshopPipeline-Service'],
    );
    assert.deepEqual(result, { stackName: 'WorkshopPipeline-Service', outcome: failed });
  });

  it('"Deploy Pipeline Only" skips the service stack', async () => {
    const { runs } = await plan({}, { serviceMissing: 'skip', confirmTarget: 'deploy' });
    assert.deepEqual(
      runs.map((r) => r.stackName),
      ['WorkshopPipeline'],
    );
  });

  it('an updated stack keeps its parameter values and asks the account nothing about repositories', async () => {
    const existing = stack('WorkshopPipeline', 'UPDATE_COMPLETE', {
      BranchName: 'main',
      CreateCodeCommitRepository: 'true',
      ClusterName: 'C',
      ServiceName: 'S',
    });
    const { asked, runs, looked } = await plan(
      { stacks: { WorkshopPipeline: existing }, services: ['C/S'] },
      { confirmTarget: 'deploy' },
    );
    assert.deepEqual(asked, ['confirmTarget WorkshopPipeline update']);
    assert.deepEqual(valueOf(runs[0], 'BranchName'), {
      name: 'BranchName',
      value: 'main',
      usePrevious: false,
      source: 'stack',
    });
    assert.equal(valueOf(runs[0], 'CreateCodeCommitRepository')?.source, 'stack');
    assert.deepEqual(looked, []);
  });

  it('a service stack created while the image exists runs its tasks from the start, with nothing to remember', async () => {
    const { runs, intents } = await plan(
      { images: ['modernization-workshop:latest'] },
      { serviceMissing: 'first', confirmTarget: 'deploy' },
    );
    assert.equal(valueOf(runs[0], 'DesiredCount')?.value, '2', 'the template default');
    assert.deepEqual(intents, []);
  });

  it('asks nothing about scaling an existing service stack: the tasks are started when the image lands, not on a later deploy', async () => {
    const service = stack('WorkshopPipeline-Service', 'CREATE_COMPLETE', { DesiredCount: '0', TaskCpu: '512' });
    const { asked, runs } = await plan(
      {
        stacks: { 'WorkshopPipeline-Service': service },
        services: ['ModernizationCluster/ModernService'],
        images: ['modernization-workshop:latest'],
      },
      { confirmTarget: 'deploy' },
    );
    assert.deepEqual(asked, ['confirmTarget WorkshopPipeline create']);
    assert.deepEqual(
      runs.map((r) => r.stackName),
      ['WorkshopPipeline'],
      'no update of the service stack: it would put back its own task definition (CloudFormation sends them all)',
    );
  });

  it('cancelling the target question deploys nothing', async () => {
    const { result, runs } = await plan({ services: ['ModernizationCluster/ModernService'] }, {});
    assert.equal(result, undefined);
    assert.deepEqual(runs, []);
  });

  it('values CloudFormation would refuse lead to the parameter walk instead of the target question', async () => {
    const { asked, runs } = await plan(
      { services: ['ModernizationCluster/ModernService'] },
      {
        settings: { parameters: { DeploymentTimeoutMinutes: '600' } },
        fixParameters: 'options',
        askParameters: (stackName, values) => ({
          stackName,
          values: values.map((v) =>
            v.name === 'DeploymentTimeoutMinutes' ? { ...v, value: '30', source: 'user' } : v,
          ),
        }),
      },
    );
    assert.deepEqual(asked, ['fixParameters 1', 'askParameters WorkshopPipeline']);
    assert.equal(valueOf(runs[0], 'DeploymentTimeoutMinutes')?.value, '30');
  });

  it('a stack name chosen in the options becomes the followed stack once its change set executes', async () => {
    const { asked, runs, followed, result } = await plan(
      { services: ['ModernizationCluster/ModernService'] },
      {
        confirmTarget: 'options',
        askParameters: (_stackName, values) => ({ stackName: 'TeamPipeline', values }),
        outcomes: {
          TeamPipeline: () => ({ kind: 'declined' }),
        },
      },
    );
    assert.deepEqual(asked, ['confirmTarget WorkshopPipeline create', 'askParameters WorkshopPipeline']);
    assert.deepEqual(
      runs.map((r) => r.stackName),
      ['TeamPipeline'],
    );
    // Declined at the change-set preview: nothing was created, so the views keep their stack.
    assert.deepEqual(followed, []);
    assert.deepEqual(result, { stackName: 'TeamPipeline', outcome: { kind: 'declined' } });

    const deployed = await plan(
      { services: ['ModernizationCluster/ModernService'] },
      { confirmTarget: 'options', askParameters: (_stackName, values) => ({ stackName: 'TeamPipeline', values }) },
    );
    assert.deepEqual(deployed.followed, ['TeamPipeline']);
  });

  it('never asks to follow the stack it already follows', async () => {
    const { followed } = await plan(
      { services: ['ModernizationCluster/ModernService'] },
      { confirmTarget: 'options', askParameters: (stackName, values) => ({ stackName, values }) },
    );
    assert.deepEqual(followed, []);
  });
});
