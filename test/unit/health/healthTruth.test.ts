// Every row of issue 13's table, on the pure core: what AWS says → what the Service Health view and
// the status bar show. ECS and ELB answers are SDK-shaped objects; errors carry AWS's codes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DescribeServicesResponse, Service } from '@aws-sdk/client-ecs';
import type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { HealthTracker, type StartRequest } from '../../../src/health/healthTracker';
import { buildHealthTree } from '../../../src/health/healthTree';
import { buildServiceHealth } from '../../../src/health/serviceHealth';
import { listenerFor, listenerUrl, loadBalancerUrl } from '../../../src/health/serviceUrl';
import { ecrImage, MemoryStartIntents, startIntentKey } from '../../../src/health/startIntent';
import { healthViewState } from '../../../src/following/healthViewState';
import { buildStatusBar } from '../../../src/pipeline/statusBarModel';
import { FinishNotifier } from '../../../src/pipeline/notifications';
import { pipelineProblemOf } from '../../../src/pipeline/pipelineProblem';
import type { TreeNodeView } from '../../../src/pipeline/viewNode';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/workshop-tg/73e2d6bc24d8a067';
const IMAGE = '111122223333.dkr.ecr.us-east-1.amazonaws.com/workshop-app:0123456789abcdef0123456789abcdef01234567';
const TD = 'arn:aws:ecs:us-east-1:111122223333:task-definition/workshop-web:1';
const CONTEXT = { profile: 'workshop', region: 'us-east-1', endpointUrl: undefined, sso: false };
const WHERE = { account: '111122223333', region: 'us-east-1' };

function service(desired: number, running: number, pending = 0): Service {
  return {
    serviceName: 'workshop-web',
    status: 'ACTIVE',
    desiredCount: desired,
    runningCount: running,
    pendingCount: pending,
    loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 8080 }],
    deployments: [
      {
        id: 'ecs-svc/1',
        status: 'PRIMARY',
        taskDefinition: TD,
        desiredCount: desired,
        runningCount: running,
        pendingCount: pending,
        failedTasks: 0,
        rolloutState: 'COMPLETED',
      },
    ],
    events: [],
  };
}

const target = (id: string, state: string, reason?: string): TargetHealthDescription => ({
  Target: { Id: id, Port: 8080 },
  TargetHealth: { State: state as 'healthy', Reason: reason as 'Target.FailedHealthChecks' },
});

function health(s: Service, targets: readonly TargetHealthDescription[]) {
  return buildServiceHealth({
    serviceName: 'workshop-web',
    service: s,
    taskDefinitions: new Map([
      [TD, { taskDefinitionArn: TD, family: 'workshop-web', containerDefinitions: [{ name: 'web', image: IMAGE }] }],
    ]),
    targetHealth: new Map([[TG, targets]]),
  });
}

const awsError = (name: string, status: number, message = name) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

function groupNode(nodes: readonly TreeNodeView[]): TreeNodeView | undefined {
  const targets = nodes.find((n) => n.id.startsWith('targets:'));
  return targets && targets.children !== 'lazy' ? targets.children[0] : undefined;
}

/** A tracker over fakes: `answer` is what DescribeServices returns (or throws). */
function tracker(
  answer: () => Promise<DescribeServicesResponse>,
  targets: () => Promise<readonly TargetHealthDescription[]> = () => Promise.resolve([]),
  extra: Partial<ConstructorParameters<typeof HealthTracker>[0]> = {},
) {
  const calls = { services: 0 };
  const t = new HealthTracker({
    ecs: {
      describeService: () => {
        calls.services++;
        return answer();
      },
      describeTaskDefinition: () =>
        Promise.resolve({
          taskDefinition: { taskDefinitionArn: TD, family: 'workshop-web', containerDefinitions: [{ image: IMAGE }] },
        }),
    },
    elbv2: { describeTargetHealth: async () => ({ TargetHealthDescriptions: [...(await targets())] }) },
    cluster: 'workshop',
    service: 'workshop-web',
    where: WHERE,
    errorContext: CONTEXT,
    defaultDesiredCount: 2,
    now: () => 1_700_000_000_000,
    ...extra,
  });
  return { t, calls };
}

describe('views that tell the truth', () => {
  it('desired 0: "Not serving: 0 tasks" as a warning, with an action to start the intended number', async () => {
    const { t } = tracker(() => Promise.resolve({ services: [service(0, 0)] }));
    assert.deepEqual(await t.run(), { active: false, followedActive: false });
    const [root, start] = t.view.nodes;
    assert.equal(root?.description, 'Not serving: 0 tasks');
    assert.equal(root?.icon.id, 'warning');
    assert.equal(start?.label, 'Start 2 Tasks');
    assert.equal(start?.links.runCommand, 'workshopPipeline.startService');
    assert.equal(start?.links.desiredCount, 2);
    assert.equal(t.serviceStatus, 'NotServing');
    const bar = buildStatusBar({
      pipelineName: 'p',
      serviceVerdict: t.serviceStatus,
      now: 0,
    });
    assert.match(bar.text, /Not serving/);
    assert.doesNotMatch(bar.text, /offline/);
  });

  it('tasks running but no registered target: Unhealthy, and says that no target is registered', () => {
    const h = health(service(2, 2), []);
    assert.equal(h.verdict, 'Unhealthy');
    assert.match(h.reason, /no target is registered in workshop-tg/);
    const nodes = buildHealthTree(h, 0);
    assert.match(nodes[0].description, /^Unhealthy · 2\/2 running, 0\/0 targets healthy/);
  });

  it('a target group with no targets gets no green check', () => {
    const group = groupNode(buildHealthTree(health(service(2, 2), []), 0));
    assert.notEqual(group?.icon.id, 'pass');
    assert.match(group?.description ?? '', /no targets registered/);
  });

  it('targets not yet healthy: not Healthy, and says which', () => {
    const checking = health(service(2, 2), [
      target('10.0.0.1', 'initial', 'Elb.InitialHealthChecking'),
      target('10.0.0.2', 'healthy'),
    ]);
    assert.equal(checking.verdict, 'Deploying');
    assert.match(checking.reason, /1 target\(s\) still in their first health checks/);
    const failing = health(service(2, 2), [
      target('10.0.0.1', 'unhealthy', 'Target.FailedHealthChecks'),
      target('10.0.0.2', 'unhealthy', 'Target.FailedHealthChecks'),
    ]);
    assert.equal(failing.verdict, 'Unhealthy');
    assert.match(failing.reason, /No healthy target in workshop-tg: 2 unhealthy/);
    const half = health(service(2, 2), [
      target('10.0.0.1', 'unhealthy', 'Target.FailedHealthChecks'),
      target('10.0.0.2', 'healthy'),
    ]);
    assert.equal(half.verdict, 'Degraded');
    assert.match(half.reason, /1 of 2 targets not healthy in workshop-tg: 1 unhealthy/);
  });

  it('all running and every target healthy: "Healthy · N/N running, N/N targets healthy"', () => {
    const h = health(service(2, 2), [target('10.0.0.1', 'healthy'), target('10.0.0.2', 'healthy')]);
    const nodes = buildHealthTree(h, 0, undefined, { url: 'http://127.0.0.1:9000' });
    assert.equal(nodes[0].description, 'Healthy · 2/2 running, 2/2 targets healthy');
    assert.equal(groupNode(nodes)?.icon.id, 'pass');
    const url = nodes.find((n) => n.contextValue === 'serviceUrl');
    assert.equal(url?.links.openUrl, 'http://127.0.0.1:9000');
    assert.equal(url?.links.runCommand, 'workshopPipeline.openInBrowser');
    const deployment = nodes.find((n) => n.id.startsWith('deployments:'));
    const primary = deployment && deployment.children !== 'lazy' ? deployment.children[0] : undefined;
    assert.match(`${primary?.label} ${primary?.description}`, /0123456/, 'the commit the image was built from');
  });

  for (const [what, code, label] of [
    ['cluster', 'ClusterNotFoundException', 'Cluster workshop does not exist in 111122223333 us-east-1'],
    [
      'service',
      'ServiceNotFoundException',
      'Service workshop-web in cluster workshop does not exist in 111122223333 us-east-1',
    ],
  ] as const) {
    it(`a missing ${what}: named with Deploy Service Stack and Select Profile/Region, and polling pauses`, async () => {
      const { t, calls } = tracker(() => Promise.reject(awsError(code, 400, `${what} not found.`)));
      assert.deepEqual(await t.run(), { active: false, followedActive: false, paused: true });
      const [problem] = t.view.nodes;
      assert.equal(problem?.label, label);
      const actions = problem && problem.children !== 'lazy' ? problem.children : [];
      assert.deepEqual(
        actions.map((a) => [a.label, a.links.runCommand]),
        [
          ['Deploy Service Stack', 'workshopPipeline.deployServiceStack'],
          ['Select Profile', 'workshopPipeline.selectProfile'],
          ['Select Region', 'workshopPipeline.selectRegion'],
        ],
      );
      assert.equal(t.serviceStatus, 'Missing');
      assert.equal(calls.services, 1);
      const bar = buildStatusBar({ pipelineName: 'p', serviceVerdict: t.serviceStatus, now: 0 });
      assert.doesNotMatch(bar.text, /offline|retrying/);
      assert.match(bar.text, /Service missing/);
    });
  }

  it('DescribeServices listing the service under failures (MISSING) is a missing service too', async () => {
    const { t } = tracker(() =>
      Promise.resolve({
        services: [],
        failures: [{ arn: 'arn:aws:ecs:us-east-1:111122223333:service/workshop/workshop-web', reason: 'MISSING' }],
      }),
    );
    assert.equal((await t.run()).paused, true);
    assert.match(t.view.nodes[0]?.label ?? '', /^Service workshop-web in cluster workshop does not exist/);
  });

  it('AccessDenied and rejected credentials: named with the fix, not thrown to the poller as offline', async () => {
    const denied = tracker(() =>
      Promise.reject(awsError('AccessDeniedException', 400, 'User is not authorized to perform: ecs:DescribeServices')),
    ).t;
    assert.equal((await denied.run()).paused, true);
    assert.equal(denied.view.problem?.kind, 'accessDenied');
    assert.match(denied.view.nodes[0]?.label ?? '', /Access denied reading service workshop-web/);
    assert.match(denied.view.problem?.message ?? '', /ecs:DescribeServices/);
    assert.equal(denied.serviceStatus, 'Unreadable');
    const rejected = tracker(() => Promise.reject(awsError('UnrecognizedClientException', 400))).t;
    assert.equal((await rejected.run()).paused, true);
    assert.equal(rejected.view.problem?.kind, 'credentials');
    assert.match(rejected.view.problem?.message ?? '', /Select Profile/);
  });

  it('a target group whose health may not be read says so and is never a green check', async () => {
    const { t } = tracker(
      () => Promise.resolve({ services: [service(2, 2)] }),
      () =>
        Promise.reject(
          awsError('AccessDenied', 403, 'not authorized to perform: elasticloadbalancing:DescribeTargetHealth'),
        ),
    );
    await t.run();
    const group = groupNode(t.view.nodes);
    assert.equal(group?.description, 'access denied');
    assert.notEqual(group?.icon.id, 'pass');
  });

  it('network failures, 5xx and throttling go to the poller (offline/throttled, retrying) and nothing else does', async () => {
    for (const error of [
      awsError('TimeoutError', 0),
      awsError('InternalFailure', 500),
      awsError('ThrottlingException', 400, 'Rate exceeded'),
    ]) {
      const { t } = tracker(() => Promise.reject(error));
      await assert.rejects(t.run(), error);
      assert.equal(t.view.problem, undefined);
    }
  });

  it('a deleted pipeline, AccessDenied or bad credentials on the pipeline: named with the fix, not offline', () => {
    const at = { pipelineName: 'workshop-pipeline', account: '111122223333', region: 'us-east-1' };
    const missing = pipelineProblemOf(awsError('PipelineNotFoundException', 400), at, CONTEXT);
    assert.equal(missing?.kind, 'missing');
    assert.match(missing?.message ?? '', /Pipeline workshop-pipeline does not exist in 111122223333 us-east-1/);
    assert.equal(pipelineProblemOf(awsError('AccessDeniedException', 400), at, CONTEXT)?.kind, 'accessDenied');
    assert.equal(pipelineProblemOf(awsError('ExpiredTokenException', 400), at, CONTEXT)?.kind, 'credentials');
    assert.equal(pipelineProblemOf(awsError('ThrottlingException', 400), at, CONTEXT), undefined);
    const bar = buildStatusBar({ pipelineName: 'workshop-pipeline', problem: missing, now: 0 });
    assert.equal(bar.text, '$(error) workshop-pipeline: not found');
    assert.match(bar.tooltip, /Deploy Workshop Pipeline/);
  });

  it('the retry badge says offline or throttled only for those reasons', () => {
    const at = { retryAt: 5_000 };
    assert.match(
      buildStatusBar({ pipelineName: 'p', retrying: { reason: 'offline', ...at }, now: 0 }).text,
      /offline$/,
    );
    assert.match(
      buildStatusBar({ pipelineName: 'p', retrying: { reason: 'throttled', ...at }, now: 0 }).text,
      /throttled$/,
    );
    assert.doesNotMatch(
      buildStatusBar({ pipelineName: 'p', retrying: { reason: 'error', ...at }, now: 0 }).text,
      /offline|throttled/,
    );
  });
});

describe('starting the tasks of a service created before its image', () => {
  const key = startIntentKey({ ...WHERE, cluster: 'workshop', service: 'workshop-web' });

  it('asks once when the first image lands, and forgets the intent once tasks run', async () => {
    const intents = new MemoryStartIntents();
    intents.set(key, { desired: 2, since: 0 });
    let imageThere = false;
    let current = service(0, 0);
    const { t } = tracker(() => Promise.resolve({ services: [current] }), undefined, {
      startIntents: intents,
      imageExists: (repository, tag) => {
        assert.deepEqual([repository, tag], ['workshop-app', '0123456789abcdef0123456789abcdef01234567']);
        return Promise.resolve(imageThere);
      },
    });
    const asked: StartRequest[] = [];
    t.onDidRequestStart((r) => asked.push(r));
    await t.run();
    assert.deepEqual(asked, []);
    assert.equal(t.view.start?.imageReady, false);
    assert.match(t.view.nodes[1]?.description ?? '', /waiting for the first image/);
    imageThere = true;
    await t.run();
    await t.run();
    assert.equal(asked.length, 1, 'one confirmation, not one per poll');
    const first = (asked as readonly StartRequest[])[0];
    assert.deepEqual([first?.desired, first?.commitId], [2, '0123456789abcdef0123456789abcdef01234567']);
    current = service(2, 2);
    await t.run();
    assert.equal(intents.get(key), undefined);
  });

  it('never asks to scale back up a service the user scaled down (no intent remembered)', async () => {
    const { t } = tracker(() => Promise.resolve({ services: [service(0, 0)] }), undefined, {
      startIntents: new MemoryStartIntents(),
      imageExists: () => Promise.resolve(true),
    });
    const asked: StartRequest[] = [];
    t.onDidRequestStart((r) => asked.push(r));
    await t.run();
    await t.run();
    assert.deepEqual(asked, []);
    assert.equal(t.view.start?.ask, false, 'the view still offers the action, without asking');
  });

  it('recognises ECR image references', () => {
    assert.deepEqual(ecrImage(IMAGE), { repository: 'workshop-app', tag: '0123456789abcdef0123456789abcdef01234567' });
    assert.equal(ecrImage('public.ecr.aws/nginx/nginx:1'), undefined);
  });
});

describe('where the service is served', () => {
  it('is the listener that forwards to the target group, with its port unless it is the default', async () => {
    assert.equal(
      listenerUrl('lb-1.us-east-1.elb.amazonaws.com', { Protocol: 'HTTP', Port: 80 }),
      'http://lb-1.us-east-1.elb.amazonaws.com',
    );
    assert.equal(listenerUrl('lb-1', { Protocol: 'HTTPS', Port: 8443 }), 'https://lb-1:8443');
    const listeners = [
      { Port: 81, Protocol: 'HTTP' as const, DefaultActions: [{ Type: 'forward' as const, TargetGroupArn: 'other' }] },
      {
        Port: 8080,
        Protocol: 'HTTP' as const,
        DefaultActions: [{ Type: 'forward' as const, ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG }] } }],
      },
    ];
    assert.equal(listenerFor(listeners, TG)?.Port, 8080);
    const url = await loadBalancerUrl(
      {
        describeTargetGroup: () => Promise.resolve({ LoadBalancerArns: ['lb-arn'] }),
        describeLoadBalancer: () => Promise.resolve({ DNSName: 'lb-1.us-east-1.elb.amazonaws.com' }),
        describeListeners: () => Promise.resolve(listeners),
      },
      [TG],
    );
    assert.equal(url, 'http://lb-1.us-east-1.elb.amazonaws.com:8080');
  });
});

describe('Service Health welcome states', () => {
  it('says "no ECS deploy action" only when the followed pipeline has none', () => {
    const ready = { kind: 'ready' } as const;
    assert.equal(healthViewState({ kind: 'connecting' } as never, { kind: 'none' } as never, undefined), 'none');
    assert.equal(healthViewState(ready, { kind: 'resolving' } as never, undefined), 'resolving');
    assert.equal(healthViewState(ready, { kind: 'tracking' } as never, undefined), 'noService');
    assert.equal(healthViewState(ready, { kind: 'tracking' } as never, { view: { nodes: [] } } as never), 'reading');
    assert.equal(healthViewState(ready, { kind: 'tracking' } as never, { view: { nodes: [{}] } } as never), 'shown');
  });
});

describe('a Deploy that failed because the service does not exist', () => {
  it('offers Deploy Service Stack in its notification', () => {
    const at = new Date(1_700_000_000_000);
    const deploy = {
      stageName: 'Deploy',
      name: 'Deploy',
      runOrder: 1,
      category: 'Deploy',
      provider: 'ECS',
      status: 'Failed' as const,
      errorMessage: 'The Amazon ECS service workshop-web does not exist.',
    };
    const state = {
      pipelineName: 'p',
      executionId: 'e1',
      stages: [{ name: 'Deploy', status: 'Failed' as const, actions: [deploy], steps: 1 }],
    };
    const input = {
      region: 'us-east-1',
      pipelineName: 'p',
      level: 'mine' as const,
      executions: [{ id: 'e1', status: 'Failed' as const, lastUpdateTime: at, revisions: [] }],
      isMine: () => true,
      state,
      now: at.getTime(),
    };
    const [missing] = new FinishNotifier(0).observe({ ...input, serviceMissing: true });
    assert.equal(missing?.actions[0]?.kind, 'deployServiceStack');
    assert.equal(missing?.actions[0]?.title, 'Deploy Service Stack');
    const [other] = new FinishNotifier(0).observe(input);
    assert.ok(other && !other.actions.some((a) => a.kind === 'deployServiceStack'));
  });
});
