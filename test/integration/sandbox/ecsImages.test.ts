// ECS pulls the images it runs, over real HTTP with the AWS SDK and both AWS CLIs: the bundled
// service.yaml deployed before any image is in ECR never reports a task that could have pulled it
// (the extension's DesiredCount 0 creates it with none; the template's default 2 fails on the
// circuit breaker), and a service running a public image rolls back from a revision whose ECR
// image is missing, with the stopped reasons and service events AWS writes. Its tasks report no
// health without a container health check and have addresses in their subnets; its load balancer
// is in the stack's VPC.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { cidrContains } from '../../sandbox/ec2/addressing';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';
import { cliEnv, clientConfig, installedAwsClis, run, tempDir, waitFor } from './helpers';

const ACCOUNT = '000000000000';
const IMAGE = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/modernization-workshop`;
const notFound = (ref: string): string =>
  `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${ref}: ${ref}: not found`;

describe('ECS pulls images', { timeout: 240_000 }, () => {
  let running: RunningSandbox;
  const clients: { destroy(): void }[] = [];
  const client = <T extends { destroy(): void }>(make: new (config: ReturnType<typeof clientConfig>) => T): T => {
    const c = new make(clientConfig(running.endpoint));
    clients.push(c);
    return c;
  };

  /** Creates a service.yaml stack and waits until it settles; returns its final status. */
  async function serviceStack(name: string, parameters: Parameter[], whileCreating?: () => Promise<void>, pollMs = 50) {
    const cfn = client(CloudFormationClient);
    await cfn.send(
      new CreateStackCommand({
        StackName: name,
        TemplateBody: readFileSync(join('media', 'templates', 'service.yaml'), 'utf8'),
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: [
          { ParameterKey: 'ClusterName', ParameterValue: `${name}Cluster` },
          { ParameterKey: 'ServiceName', ParameterValue: `${name}Service` },
          ...parameters,
        ],
      }),
    );
    return waitFor(
      async () => {
        await whileCreating?.();
        const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
        return stack?.StackStatus && !stack.StackStatus.endsWith('_IN_PROGRESS') ? stack : undefined;
      },
      60_000,
      () => `stack ${name} never settled`,
      pollMs,
    );
  }

  before(async () => {
    running = await startSandbox({ port: 0, speed: 1000, seed: 1, services });
    // The ECR repository exists, but nothing was pushed to it yet.
    await client(ECRClient).send(new CreateRepositoryCommand({ repositoryName: 'modernization-workshop' }));
  });

  after(async () => {
    for (const c of clients) c.destroy();
    await running?.close();
  });

  it('service.yaml before any image: DesiredCount 0 creates the service with no task', async () => {
    const stack = await serviceStack('Empty', [{ ParameterKey: 'DesiredCount', ParameterValue: '0' }]);
    assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
    const ecs = client(ECSClient);
    const { services: [service] = [] } = await ecs.send(
      new DescribeServicesCommand({ cluster: 'EmptyCluster', services: ['EmptyService'] }),
    );
    assert.deepEqual(
      [service.desiredCount, service.runningCount, service.deployments?.[0]?.rolloutState],
      [0, 0, 'COMPLETED'],
    );
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      const { taskArns = [] } = await ecs.send(new ListTasksCommand({ cluster: 'EmptyCluster', desiredStatus }));
      assert.deepEqual(taskArns, [], desiredStatus);
    }
  });

  it("service.yaml before any image with the template's 2 tasks: none ever runs, and the circuit breaker fails the stack", async () => {
    const ecs = client(ECSClient);
    const seen = new Map<string, Task>();
    const watch = async (): Promise<void> => {
      for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
        const { taskArns = [] } = await ecs
          .send(new ListTasksCommand({ cluster: 'TwoCluster', desiredStatus }))
          .catch(() => ({ taskArns: [] })); // the cluster is not there yet, or gone again
        if (taskArns.length === 0) continue;
        const { tasks = [] } = await ecs
          .send(new DescribeTasksCommand({ cluster: 'TwoCluster', tasks: taskArns }))
          .catch(() => ({ tasks: [] }));
        for (const task of tasks) {
          const before = seen.get(task.taskArn ?? '');
          seen.set(task.taskArn ?? '', before?.lastStatus === 'RUNNING' ? before : task);
        }
      }
    };
    const stack = await serviceStack('Two', [], watch, 5);
    assert.equal(stack.StackStatus, 'ROLLBACK_COMPLETE');
    const { StackEvents = [] } = await client(CloudFormationClient).send(
      new DescribeStackEventsCommand({ StackName: 'Two' }),
    );
    const failed = StackEvents.find((e) => e.LogicalResourceId === 'Service' && e.ResourceStatus === 'CREATE_FAILED');
    assert.match(failed?.ResourceStatusReason ?? '', /ECS Deployment Circuit Breaker was triggered/);

    // Every task seen while the stack was created: none ran, the stopped ones say why.
    assert.ok(seen.size > 0, 'tasks were started');
    for (const task of seen.values()) {
      assert.notEqual(task.lastStatus, 'RUNNING', `${task.taskArn} never ran`);
      assert.equal(task.startedAt, undefined);
      assert.equal(task.healthStatus, 'UNKNOWN');
      if (task.lastStatus === 'STOPPED') {
        assert.equal(task.stoppedReason, notFound(`${IMAGE}:latest`));
        assert.equal(task.stopCode, 'TaskFailedToStart');
      }
    }
    assert.ok(
      [...seen.values()].some((t) => t.lastStatus === 'STOPPED'),
      'a task was seen stopped',
    );
  });

  describe('a running service deploys a revision whose ECR image is missing', () => {
    let previousRevision: string;
    let badRevision: string;

    before(async () => {
      const stack = await serviceStack('Web', [
        { ParameterKey: 'ImageUri', ParameterValue: 'public.ecr.aws/nginx/nginx:latest' },
      ]);
      assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
      const ecs = client(ECSClient);
      const { services: [service] = [] } = await ecs.send(
        new DescribeServicesCommand({ cluster: 'WebCluster', services: ['WebService'] }),
      );
      previousRevision = service.taskDefinition ?? '';
      const { taskDefinition: current } = await ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: previousRevision }),
      );
      const { taskDefinition: bad } = await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: current?.family,
          networkMode: current?.networkMode,
          requiresCompatibilities: current?.requiresCompatibilities,
          cpu: current?.cpu,
          memory: current?.memory,
          executionRoleArn: current?.executionRoleArn,
          containerDefinitions: current?.containerDefinitions?.map((c) => ({ ...c, image: `${IMAGE}:v2` })),
        }),
      );
      badRevision = bad?.taskDefinitionArn ?? '';
      await ecs.send(
        new UpdateServiceCommand({ cluster: 'WebCluster', service: 'WebService', taskDefinition: badRevision }),
      );
      await waitFor(
        async () => {
          const { services: [s] = [] } = await ecs.send(
            new DescribeServicesCommand({ cluster: 'WebCluster', services: ['WebService'] }),
          );
          return s.deployments?.length === 1 && s.deployments[0].rolloutState === 'COMPLETED' ? s : undefined;
        },
        60_000,
        () => 'the rollback never completed',
        50,
      );
    });

    it('its tasks stop with CannotPullContainerError, and the circuit breaker rolls back with the events AWS writes', async () => {
      const ecs = client(ECSClient);
      const { services: [service] = [] } = await ecs.send(
        new DescribeServicesCommand({ cluster: 'WebCluster', services: ['WebService'] }),
      );
      assert.equal(service.taskDefinition, previousRevision);
      assert.deepEqual(
        service.deployments?.map((d) => [d.status, d.taskDefinition, d.rolloutState, d.runningCount]),
        [['PRIMARY', previousRevision, 'COMPLETED', 2]],
      );
      const messages = (service.events ?? []).map((e) => e.message ?? '');
      const failedAt = messages.findIndex((m) =>
        /^\(service WebService\) \(deployment ecs-svc\/\d{19}\) deployment failed: tasks failed to start\.$/.test(m),
      );
      const rollingBack = messages.findIndex((m) =>
        /^\(service WebService\) rolling back to deployment ecs-svc\/\d{19}\.$/.test(m),
      );
      const unable = messages.indexOf(
        '(service WebService) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
      );
      // Newest first: the rollback after the failure after the throttle.
      assert.ok(rollingBack >= 0 && failedAt > rollingBack && unable > failedAt, messages.join('\n'));

      const { taskArns = [] } = await ecs.send(
        new ListTasksCommand({ cluster: 'WebCluster', serviceName: 'WebService', desiredStatus: 'STOPPED' }),
      );
      const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: 'WebCluster', tasks: taskArns }));
      const unstarted = tasks.filter((t) => t.taskDefinitionArn === badRevision);
      assert.ok(unstarted.length >= 3, `at least the threshold of tasks failed: ${unstarted.length}`);
      for (const task of unstarted) {
        assert.deepEqual(
          [task.lastStatus, task.stopCode, task.stoppedReason, task.startedAt],
          ['STOPPED', 'TaskFailedToStart', notFound(`${IMAGE}:v2`), undefined],
        );
        assert.deepEqual(
          task.containers?.map((c) => [c.lastStatus, c.reason]),
          [['STOPPED', notFound(`${IMAGE}:v2`)]],
        );
      }
    });

    it('the running tasks report no health (no container health check) and have addresses in their subnets', async () => {
      const ecs = client(ECSClient);
      const { taskArns = [] } = await ecs.send(
        new ListTasksCommand({ cluster: 'WebCluster', serviceName: 'WebService' }),
      );
      const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: 'WebCluster', tasks: taskArns }));
      assert.equal(tasks.length, 2);
      const { StackResources = [] } = await client(CloudFormationClient).send(
        new DescribeStackResourcesCommand({ StackName: 'Web' }),
      );
      const physical = (logicalId: string): string =>
        StackResources.find((r) => r.LogicalResourceId === logicalId)?.PhysicalResourceId ?? '';
      // VpcCidr 10.0.0.0/16, one /24 per subnet: !Cidr [10.0.0.0/16, 2, 8].
      const cidrs = new Map([
        [physical('PublicSubnet1'), '10.0.0.0/24'],
        [physical('PublicSubnet2'), '10.0.1.0/24'],
      ]);
      for (const task of tasks) {
        assert.deepEqual(
          [task.lastStatus, task.healthStatus, task.containers?.[0]?.healthStatus],
          ['RUNNING', 'UNKNOWN', 'UNKNOWN'],
        );
        const details = new Map(task.attachments?.[0]?.details?.map((d) => [d.name, d.value]));
        const cidr = cidrs.get(details.get('subnetId') ?? '');
        const ip = details.get('privateIPv4Address') ?? '';
        assert.ok(cidr, `task in one of the stack's subnets: ${details.get('subnetId')}`);
        assert.ok(cidrContains(cidr, ip), `${ip} in ${cidr}`);
      }

      const { LoadBalancers = [] } = await client(ElasticLoadBalancingV2Client).send(
        new DescribeLoadBalancersCommand({ LoadBalancerArns: [physical('LoadBalancer')] }),
      );
      assert.equal(LoadBalancers[0]?.VpcId, physical('Vpc'));
      assert.deepEqual(
        LoadBalancers[0]?.AvailabilityZones?.map((z) => [z.SubnetId, z.ZoneName]),
        [
          [physical('PublicSubnet1'), 'us-east-1a'],
          [physical('PublicSubnet2'), 'us-east-1b'],
        ],
      );
    });

    it('both AWS CLIs print the stopped tasks as ECS does', async (t) => {
      const clis = installedAwsClis();
      assert.ok(clis.length > 0, 'no AWS CLI installed (apt-get install -y awscli)');
      const home = tempDir(t, 'sandbox-ecs-cli-');
      const ecs = client(ECSClient);
      const { taskArns = [] } = await ecs.send(
        new ListTasksCommand({ cluster: 'WebCluster', serviceName: 'WebService', desiredStatus: 'STOPPED' }),
      );
      for (const aws of clis) {
        const { stdout } = await run(
          aws,
          [
            'ecs',
            'describe-tasks',
            '--cluster',
            'WebCluster',
            '--tasks',
            ...taskArns.slice(0, 3),
            '--endpoint-url',
            running.endpoint,
            '--output',
            'json',
          ],
          { env: cliEnv(home) },
        );
        const { tasks, failures } = JSON.parse(stdout) as {
          tasks: {
            stoppedReason?: string;
            stopCode?: string;
            healthStatus?: string;
            containers: { reason?: string }[];
          }[];
          failures: unknown[];
        };
        assert.deepEqual(failures, [], aws);
        assert.equal(tasks.length, Math.min(3, taskArns.length), aws);
        for (const task of tasks) {
          assert.equal(task.stoppedReason, notFound(`${IMAGE}:v2`), aws);
          assert.equal(task.stopCode, 'TaskFailedToStart', aws);
          assert.equal(task.healthStatus, 'UNKNOWN', aws);
          assert.equal(task.containers[0]?.reason, notFound(`${IMAGE}:v2`), aws);
        }
      }
    });
  });
});
