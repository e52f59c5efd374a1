// AWS::ECS::{Cluster,TaskDefinition,Service}: create state in the sandbox's ECS. A service's
// create/update waits for its deployment to reach a steady state, as CloudFormation does.
import { ResourceFailure, type ProviderContext, type ResourceProvider } from '../cloudformation/providers/registry';
import { generatedName, randomUpper, randomUUID } from '../cloudformation/providers/names';
import type { Sandbox } from '../core/types';
import { startDeployment } from './rollout';
import {
  clusterArn,
  ecsState,
  findCluster,
  findTaskDefinition,
  registerTaskDefinition,
  type Deployment,
  type Service,
} from './store';
import { str } from '../core/values';
import { coerceToInput } from '../core/models/coerce';

/** CloudFormation's PascalCase properties → the API's camelCase (keys only; values kept). */
export function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [/^[A-Z]/.test(k) ? k[0].toLowerCase() + k.slice(1) : k, camelKeys(v)]),
  );
}

const truthy = (v: unknown): boolean => v === true || v === 'true';

/** Waits (simulated time) until the deployment settles; fails the resource when it FAILED. */
async function waitForSteadyState(
  sandbox: Sandbox,
  service: Service,
  deployment: Deployment,
  signal: AbortSignal,
): Promise<void> {
  while (deployment.rolloutState === 'IN_PROGRESS' && service.deployments.includes(deployment))
    await sandbox.clock.sleep(5_000, signal);
  if (deployment.rolloutState === 'FAILED') {
    throw new ResourceFailure(
      `Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'." (RequestToken: ${randomUUID()}, HandlerErrorCode: GeneralServiceException)`,
    );
  }
}

function applyServiceProperties(service: Service, p: Record<string, unknown>): void {
  const config = (p.DeploymentConfiguration ?? {}) as {
    DeploymentCircuitBreaker?: { Enable?: unknown; Rollback?: unknown };
    MaximumPercent?: unknown;
    MinimumHealthyPercent?: unknown;
  };
  service.desiredCount = p.DesiredCount === undefined ? 1 : Number(p.DesiredCount);
  service.loadBalancers = (Array.isArray(p.LoadBalancers) ? (p.LoadBalancers as Record<string, unknown>[]) : []).map(
    (lb) => ({
      targetGroupArn: String(lb.TargetGroupArn),
      containerName: String(lb.ContainerName),
      containerPort: Number(lb.ContainerPort),
    }),
  );
  service.networkConfiguration = p.NetworkConfiguration
    ? (camelKeys(p.NetworkConfiguration) as Record<string, unknown>)
    : undefined;
  service.healthCheckGracePeriodSeconds =
    p.HealthCheckGracePeriodSeconds === undefined ? undefined : Number(p.HealthCheckGracePeriodSeconds);
  service.circuitBreaker = {
    enable: truthy(config.DeploymentCircuitBreaker?.Enable),
    rollback: truthy(config.DeploymentCircuitBreaker?.Rollback),
  };
  service.maximumPercent = config.MaximumPercent === undefined ? 200 : Number(config.MaximumPercent);
  service.minimumHealthyPercent =
    config.MinimumHealthyPercent === undefined ? 100 : Number(config.MinimumHealthyPercent);
  service.enableECSManagedTags = truthy(p.EnableECSManagedTags);
  service.propagateTags =
    p.PropagateTags === 'SERVICE' || p.PropagateTags === 'TASK_DEFINITION' ? p.PropagateTags : 'NONE';
}

function taskDefinitionArnOf(ctx: ProviderContext, ref: unknown): string {
  const td = findTaskDefinition(ctx.sandbox, ctx.accountId, ctx.region, ref);
  if (!td)
    throw new ResourceFailure(
      `Resource handler returned message: "TaskDefinition not found. (Service: AmazonECS; Status Code: 400; Error Code: ClientException)"`,
    );
  return td.taskDefinitionArn;
}

export const ecsResourceProviders: Record<string, ResourceProvider> = {
  'AWS::ECS::Cluster': {
    attributes: ['Arn'],
    async create(p, ctx) {
      const name =
        typeof p.ClusterName === 'string' ? p.ClusterName : generatedName(ctx.stackName, ctx.logicalId, { max: 255 });
      const arn = clusterArn(ctx.accountId, ctx.region, name);
      await ctx.sandbox.clock.sleep(3_000, ctx.signal);
      ecsState(ctx.sandbox).clusters[arn] = {
        clusterArn: arn,
        clusterName: name,
        accountId: ctx.accountId,
        region: ctx.region,
        status: 'ACTIVE',
      };
      ctx.sandbox.changed();
      return { physicalId: name, attributes: { Arn: arn } };
    },
    update: (name, _p, _previous, ctx) =>
      Promise.resolve({ attributes: { Arn: clusterArn(ctx.accountId, ctx.region, name) } }),
    delete(name, _p, ctx) {
      const cluster = ecsState(ctx.sandbox).clusters[clusterArn(ctx.accountId, ctx.region, name)];
      if (cluster) cluster.status = 'INACTIVE';
      ctx.sandbox.changed();
      return Promise.resolve();
    },
  },

  'AWS::ECS::TaskDefinition': {
    attributes: ['TaskDefinitionArn'],
    async create(p, ctx) {
      // As CloudFormation does: template strings ('8080') become the API's numbers and booleans.
      const body = coerceToInput('ecs', 'RegisterTaskDefinition', camelKeys(p)) as Record<string, unknown>;
      delete body.tags;
      body.family ??= `${ctx.stackName}${ctx.logicalId}${randomUpper(12)}`;
      await ctx.sandbox.clock.sleep(1_000, ctx.signal);
      const td = registerTaskDefinition(
        ctx.sandbox,
        ctx.accountId,
        ctx.region,
        body,
        `arn:aws:iam::${ctx.accountId}:root`,
      );
      return { physicalId: td.taskDefinitionArn, attributes: { TaskDefinitionArn: td.taskDefinitionArn } };
    },
    update: (arn) => Promise.resolve({ attributes: { TaskDefinitionArn: arn } }),
    delete(arn, _p, ctx) {
      const td = findTaskDefinition(ctx.sandbox, ctx.accountId, ctx.region, arn);
      if (td) td.status = 'INACTIVE';
      ctx.sandbox.changed();
      return Promise.resolve();
    },
  },

  'AWS::ECS::Service': {
    attributes: ['Name', 'ServiceArn'],
    async create(p, ctx) {
      const cluster = findCluster(ctx.sandbox, ctx.accountId, ctx.region, p.Cluster);
      if (!cluster)
        throw new ResourceFailure(
          'Resource handler returned message: "Cluster not found. (Service: AmazonECS; Status Code: 400; Error Code: ClusterNotFoundException)"',
        );
      const name =
        typeof p.ServiceName === 'string' ? p.ServiceName : generatedName(ctx.stackName, ctx.logicalId, { max: 255 });
      const arn = `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${cluster.clusterName}/${name}`;
      const existing = ecsState(ctx.sandbox).services[arn];
      if (existing && existing.status !== 'INACTIVE')
        throw new ResourceFailure(
          `Resource handler returned message: "Creation of service was not idempotent." (HandlerErrorCode: AlreadyExists)`,
        );
      const service = {
        serviceArn: arn,
        serviceName: name,
        clusterArn: cluster.clusterArn,
        accountId: ctx.accountId,
        region: ctx.region,
        taskDefinition: taskDefinitionArnOf(ctx, p.TaskDefinition),
        status: 'ACTIVE',
        launchType: str(p.LaunchType ?? 'FARGATE'),
        createdAt: ctx.sandbox.clock.now().getTime(),
        createdBy: `arn:aws:iam::${ctx.accountId}:role/cloudformation`,
        deployments: [],
        events: [],
      } as unknown as Service;
      applyServiceProperties(service, p);
      ecsState(ctx.sandbox).services[arn] = service;
      ctx.initiated(arn);
      await waitForSteadyState(ctx.sandbox, service, startDeployment(ctx.sandbox, service, 'creation'), ctx.signal);
      return { physicalId: arn, attributes: { ServiceArn: arn, Name: name } };
    },
    async update(arn, p, _previous, ctx) {
      const service = ecsState(ctx.sandbox).services[arn];
      if (!service) throw new ResourceFailure('Resource handler returned message: "Service not found."');
      const taskDefinition = taskDefinitionArnOf(ctx, p.TaskDefinition);
      const before = { taskDefinition: service.taskDefinition, desiredCount: service.desiredCount };
      service.taskDefinition = taskDefinition;
      applyServiceProperties(service, p);
      ctx.sandbox.changed();
      if (before.taskDefinition !== taskDefinition || before.desiredCount !== service.desiredCount) {
        await waitForSteadyState(ctx.sandbox, service, startDeployment(ctx.sandbox, service), ctx.signal);
      }
      return { attributes: { ServiceArn: arn, Name: service.serviceName } };
    },
    async delete(arn, _p, ctx) {
      const service = ecsState(ctx.sandbox).services[arn];
      if (!service) return;
      service.status = 'DRAINING';
      service.desiredCount = 0;
      ctx.sandbox.changed();
      await ctx.sandbox.clock.sleep(30_000, ctx.signal);
      for (const task of Object.values(ecsState(ctx.sandbox).tasks)) {
        if (task.serviceArn !== arn || task.lastStatus === 'STOPPED') continue;
        Object.assign(task, {
          desiredStatus: 'STOPPED',
          lastStatus: 'STOPPED',
          stoppedAt: ctx.sandbox.clock.now().getTime(),
          stoppedReason: 'Scaling activity initiated by (deployment deleted)',
          stopCode: 'ServiceSchedulerInitiated',
        });
      }
      service.status = 'INACTIVE';
      service.deployments = [];
      ctx.sandbox.changed();
    },
  },
};
