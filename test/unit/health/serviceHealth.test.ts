import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DescribeServicesResponse, DescribeTaskDefinitionResponse, TaskDefinition } from '@aws-sdk/client-ecs';
import type { DescribeTargetHealthOutput, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { HealthTracker } from '../../../src/health/healthTracker';
import { buildHealthTree } from '../../../src/health/healthTree';
import { commitFromTag, parseImage, taskDefinitionName } from '../../../src/health/imageTag';
import { buildServiceHealth, verdictOf } from '../../../src/health/serviceHealth';
import { fixture } from '../fixtures/load';

const steady = fixture<DescribeServicesResponse>('ecs/describe-services.steady.json');
const deploying = fixture<DescribeServicesResponse>('ecs/describe-services.deploying.json');
const missing = fixture<DescribeServicesResponse>('ecs/describe-services.missing.json');
const td7 = fixture<DescribeTaskDefinitionResponse>('ecs/describe-task-definition.7.json');
const td8 = fixture<DescribeTaskDefinitionResponse>('ecs/describe-task-definition.8.json');
const tg = 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/workshop-tg/73e2d6bc24d8a067';
const targets = (name: string) =>
  fixture<DescribeTargetHealthOutput>(`elbv2/describe-target-health.${name}.json`).TargetHealthDescriptions ?? [];
const defs = new Map<string, TaskDefinition>([
  [td7.taskDefinition!.taskDefinitionArn!, td7.taskDefinition!],
  [td8.taskDefinition!.taskDefinitionArn!, td8.taskDefinition!],
]);
const NOW = 1_700_001_600_000;

function health(services: DescribeServicesResponse, th: readonly TargetHealthDescription[]) {
  return buildServiceHealth({
    serviceName: 'workshop-web',
    service: services.services?.[0],
    taskDefinitions: defs,
    targetHealth: new Map([[tg, th]]),
  });
}

describe('service health', () => {
  it('is Healthy in steady state, with the commit the PRIMARY deployment runs', () => {
    const h = health(steady, targets('healthy'));
    assert.equal(h.verdict, 'Healthy');
    const [primary] = h.deployments;
    assert.equal(primary?.status, 'PRIMARY');
    assert.equal(primary?.revision, 7);
    assert.equal(primary?.rolloutState, 'COMPLETED');
    assert.equal(
      primary?.commitId,
      '1111111111111111111111111111111111111111',
      'from the web container, not the sidecar',
    );
    assert.deepEqual(
      h.events.map((e) => e.id),
      ['ev-3', 'ev-2', 'ev-1'],
    );
  });

  it('is Deploying while PRIMARY replaces ACTIVE, even with initial targets', () => {
    const h = health(deploying, targets('initial'));
    assert.equal(h.verdict, 'Deploying');
    assert.match(h.reason, /workshop-web:8/);
    assert.deepEqual(
      h.deployments.map((d) => [d.status, d.revision, d.commitId?.slice(0, 7)]),
      [
        ['PRIMARY', 8, '2222222'],
        ['ACTIVE', 7, '1111111'],
      ],
    );
  });

  it('is Degraded with an unhealthy target, counting states and reason codes', () => {
    const h = health(steady, targets('mixed'));
    assert.equal(h.verdict, 'Degraded');
    const [g] = h.targetGroups;
    assert.deepEqual([g?.name, g?.healthy, g?.unhealthy, g?.draining], ['workshop-tg', 1, 1, 1]);
    assert.deepEqual(
      g?.reasons.map((r) => r.reason),
      ['Target.ResponseCodeMismatch', 'Target.DeregistrationInProgress'],
    );
  });

  it('is Unhealthy when nothing serves, or the service is missing', () => {
    assert.equal(health(steady, targets('down')).verdict, 'Unhealthy');
    assert.equal(health(missing, []).verdict, 'Unhealthy');
  });

  it('applies the rule in order', () => {
    const base = { found: true, status: 'ACTIVE', desired: 2, running: 2, deployments: [], targetGroups: [] };
    const primary = {
      id: 'd',
      status: 'PRIMARY',
      taskDefinition: 'x',
      family: 'x',
      desired: 2,
      running: 2,
      pending: 0,
      failedTasks: 0,
    };
    assert.equal(verdictOf({ ...base, status: 'DRAINING' }).verdict, 'Unhealthy');
    assert.equal(verdictOf({ ...base, running: 0 }).verdict, 'Unhealthy');
    assert.equal(
      verdictOf({ ...base, running: 0, deployments: [{ ...primary, rolloutState: 'IN_PROGRESS' }] }).verdict,
      'Deploying',
    );
    assert.equal(
      verdictOf({
        ...base,
        deployments: [
          { ...primary, rolloutState: 'FAILED' },
          { ...primary, status: 'ACTIVE' },
        ],
      }).verdict,
      'Degraded',
    );
    assert.equal(verdictOf({ ...base, running: 1 }).verdict, 'Degraded');
    // Scaled to zero serves nothing: a warning with a way to start tasks, never a green check.
    assert.equal(verdictOf({ ...base, desired: 0, running: 0 }).verdict, 'NotServing');
  });

  it('renders nodes with verdict icons and reason children', () => {
    const nodes = buildHealthTree(health(steady, targets('mixed')), NOW);
    assert.deepEqual(
      nodes.map((n) => n.id),
      ['service:workshop-web', 'deployments:workshop-web', 'targets:workshop-web', 'events:workshop-web'],
    );
    assert.equal(nodes[0].icon.id, 'warning');
    assert.equal(nodes[0].description, 'Degraded · 2/2 running, 1/2 targets healthy');
    const group = nodes[2].children === 'lazy' ? undefined : nodes[2].children[0];
    assert.equal(group?.description, '1 healthy · 1 unhealthy · 1 draining');
  });
});

describe('image tags', () => {
  it('parses registries with ports, tags and digests', () => {
    assert.deepEqual(parseImage('localhost:5000/app:abc1234'), {
      repository: 'localhost:5000/app',
      tag: 'abc1234',
      digest: undefined,
    });
    assert.deepEqual(parseImage('localhost:5000/app@sha256:00ff'), {
      repository: 'localhost:5000/app',
      digest: 'sha256:00ff',
    });
    assert.equal(commitFromTag('latest'), undefined);
    assert.equal(commitFromTag('ABCDEF1'), 'abcdef1');
    assert.deepEqual(taskDefinitionName('arn:aws:ecs:us-east-1:1:task-definition/web:12'), {
      family: 'web',
      revision: 12,
    });
  });
});

describe('HealthTracker', () => {
  it('describes each task definition once and is active only while deploying', async () => {
    const calls: string[] = [];
    let services = deploying;
    const ecs = {
      describeService: (cluster: string, service: string) => {
        calls.push(`svc ${cluster}/${service}`);
        return Promise.resolve(services);
      },
      describeTaskDefinition: (arn: string) => {
        calls.push(`td ${arn.split('/').pop()}`);
        return Promise.resolve(arn.endsWith(':8') ? td8 : td7);
      },
    };
    const elbv2 = {
      describeTargetHealth: (arn: string) => {
        calls.push(`tg ${arn === tg}`);
        return Promise.resolve({ TargetHealthDescriptions: targets('healthy') });
      },
    };
    const t = new HealthTracker({ ecs, elbv2, cluster: 'workshop', service: 'workshop-web', now: () => NOW });
    assert.deepEqual(await t.run(), { active: true, followedActive: false });
    services = steady;
    assert.deepEqual(await t.run(), { active: false, followedActive: false });
    assert.deepEqual(calls, [
      'svc workshop/workshop-web',
      'td workshop-web:8',
      'td workshop-web:7',
      'tg true',
      'svc workshop/workshop-web',
      'tg true',
    ]);
    assert.equal(t.view.health?.verdict, 'Healthy');
  });
});
