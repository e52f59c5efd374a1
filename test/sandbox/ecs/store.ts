// Amazon ECS state: clusters, task definition revisions, services with their deployments and
// events, and tasks. The rollout engine (rollout.ts) moves deployments and tasks along.
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError, type Sandbox } from '../core/types';
import { ECR_IMAGE } from './imagePull';

export interface Cluster {
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly accountId: string;
  readonly region: string;
  status: 'ACTIVE' | 'INACTIVE';
}

export interface TaskDefinition {
  readonly taskDefinitionArn: string;
  readonly family: string;
  readonly revision: number;
  /** The API's TaskDefinition fields (camelCase), as registered. */
  readonly body: Record<string, unknown>;
  status: 'ACTIVE' | 'INACTIVE';
  readonly registeredAt: number;
  readonly registeredBy: string;
}

export interface Deployment {
  readonly id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  failedTasks: number;
  readonly createdAt: number;
  updatedAt: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
}

export interface LoadBalancerBinding {
  readonly targetGroupArn: string;
  readonly containerName: string;
  readonly containerPort: number;
}

export interface Service {
  readonly serviceArn: string;
  readonly serviceName: string;
  readonly clusterArn: string;
  readonly accountId: string;
  readonly region: string;
  taskDefinition: string;
  desiredCount: number;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  readonly launchType: string;
  loadBalancers: LoadBalancerBinding[];
  networkConfiguration?: Record<string, unknown>;
  healthCheckGracePeriodSeconds?: number;
  circuitBreaker: { enable: boolean; rollback: boolean };
  maximumPercent: number;
  minimumHealthyPercent: number;
  /** EnableECSManagedTags / PropagateTags as created (absent in state written before they were kept). */
  enableECSManagedTags?: boolean;
  propagateTags?: 'NONE' | 'SERVICE' | 'TASK_DEFINITION';
  readonly createdAt: number;
  readonly createdBy: string;
  deployments: Deployment[];
  /** Newest first, as DescribeServices returns them. */
  events: { id: string; createdAt: number; message: string }[];
}

export interface Task {
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly serviceArn: string;
  readonly taskDefinitionArn: string;
  startedBy: string;
  lastStatus:
    'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  /** UNKNOWN unless an essential container has a health check (ECS reports only container health here). */
  healthStatus: 'UNKNOWN' | 'HEALTHY' | 'UNHEALTHY';
  readonly ip: string;
  readonly availabilityZone: string;
  /** The subnet of the task's network interface (absent in state written before it was kept). */
  readonly subnetId?: string;
  readonly containers: TaskContainer[];
  readonly cpu?: string;
  readonly memory?: string;
  readonly createdAt: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
}

export interface TaskContainer {
  readonly name: string;
  readonly image: string;
  /** The container definition has a healthCheck. */
  readonly healthCheck?: boolean;
  /** Why the container stopped (CannotPullContainerError …). */
  reason?: string;
}

interface EcsState {
  clusters: Record<string, Cluster>;
  /** Keyed by `<account>/<region>/<family>`; revisions in order. */
  taskDefinitions: Record<string, TaskDefinition[]>;
  services: Record<string, Service>;
  tasks: Record<string, Task>;
}

export function ecsState(sandbox: Sandbox): EcsState {
  const state = sandbox.state as { ecs?: EcsState };
  state.ecs ??= { clusters: {}, taskDefinitions: {}, services: {}, tasks: {} };
  return state.ecs;
}

export const clusterArn = (accountId: string, region: string, name: string): string =>
  `arn:aws:ecs:${region}:${accountId}:cluster/${name}`;
export const hexId = (bytes: number): string => randomBytes(bytes).toString('hex');
export const shortName = (arnOrName: string): string => arnOrName.slice(arnOrName.lastIndexOf('/') + 1);

/** `ecs-svc/` and 19 digits, like the real deployment ids. */
export function deploymentId(): string {
  return `ecs-svc/${Array.from(randomBytes(19), (b) => String(b % 10)).join('')}`;
}

export function findCluster(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  nameOrArn: unknown,
): Cluster | undefined {
  const name = shortName(typeof nameOrArn === 'string' && nameOrArn !== '' ? nameOrArn : 'default');
  const cluster = ecsState(sandbox).clusters[clusterArn(accountId, region, name)];
  return cluster?.status === 'ACTIVE' ? cluster : undefined;
}

export function requireCluster(sandbox: Sandbox, accountId: string, region: string, nameOrArn: unknown): Cluster {
  const cluster = findCluster(sandbox, accountId, region, nameOrArn);
  if (!cluster) throw new AwsError('ClusterNotFoundException', 'Cluster not found.');
  return cluster;
}

export function findService(sandbox: Sandbox, cluster: Cluster, nameOrArn: string): Service | undefined {
  const name = shortName(nameOrArn);
  return ecsState(sandbox).services[
    `arn:aws:ecs:${cluster.region}:${cluster.accountId}:service/${cluster.clusterName}/${name}`
  ];
}

export function requireService(sandbox: Sandbox, cluster: Cluster, nameOrArn: unknown): Service {
  const service = typeof nameOrArn === 'string' ? findService(sandbox, cluster, nameOrArn) : undefined;
  if (!service || service.status === 'INACTIVE') throw new AwsError('ServiceNotFoundException', 'Service not found.');
  return service;
}

export function servicesOf(sandbox: Sandbox, cluster: Cluster): Service[] {
  return Object.values(ecsState(sandbox).services).filter(
    (s) => s.clusterArn === cluster.clusterArn && s.status !== 'INACTIVE',
  );
}

export function tasksOf(sandbox: Sandbox, clusterArnValue: string): Task[] {
  return Object.values(ecsState(sandbox).tasks).filter((t) => t.clusterArn === clusterArnValue);
}

/** `family`, `family:revision` or an ARN → the revision (the latest ACTIVE one for a bare family). */
export function findTaskDefinition(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  ref: unknown,
): TaskDefinition | undefined {
  if (typeof ref !== 'string' || ref === '') return undefined;
  const tail = ref.includes(':task-definition/') ? ref.slice(ref.indexOf(':task-definition/') + 17) : ref;
  const [family, revision] = tail.split(':');
  const revisions = ecsState(sandbox).taskDefinitions[`${accountId}/${region}/${family}`] ?? [];
  if (revision === undefined) return [...revisions].reverse().find((r) => r.status === 'ACTIVE');
  return revisions.find((r) => r.revision === Number(revision));
}

export function registerTaskDefinition(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  body: Record<string, unknown>,
  registeredBy: string,
): TaskDefinition {
  const family = body.family;
  if (typeof family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw new AwsError('ClientException', 'Family contains invalid characters.');
  }
  const containers = body.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0)
    throw new AwsError('ClientException', 'Container list cannot be empty.');
  // Fargate pulls ECR images and writes awslogs with the execution role, so it refuses a definition
  // that needs one and names none.
  const fargate = Array.isArray(body.requiresCompatibilities) && body.requiresCompatibilities.includes('FARGATE');
  if (fargate && typeof body.executionRoleArn !== 'string') {
    const defs = containers as { image?: unknown; logConfiguration?: { logDriver?: unknown } }[];
    if (defs.some((c) => typeof c.image === 'string' && ECR_IMAGE.test(c.image)))
      throw new AwsError(
        'ClientException',
        'Fargate requires task definition to have execution role ARN to support ECR images.',
      );
    if (defs.some((c) => c.logConfiguration?.logDriver === 'awslogs'))
      throw new AwsError(
        'ClientException',
        'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
      );
  }
  const revisions = (ecsState(sandbox).taskDefinitions[`${accountId}/${region}/${family}`] ??= []);
  const revision = revisions.length + 1;
  const taskDefinitionArn = `arn:aws:ecs:${region}:${accountId}:task-definition/${family}:${revision}`;
  const td: TaskDefinition = {
    taskDefinitionArn,
    family,
    revision,
    body,
    status: 'ACTIVE',
    registeredAt: sandbox.clock.now().getTime(),
    registeredBy,
  };
  revisions.push(td);
  sandbox.changed();
  return td;
}

/** Adds a service event (newest first; the real API keeps the last 100). */
export function addEvent(sandbox: Sandbox, service: Service, message: string): void {
  service.events.unshift({
    id: randomUUID(),
    createdAt: sandbox.clock.now().getTime(),
    message: `(service ${service.serviceName}) ${message}`,
  });
  service.events.length = Math.min(service.events.length, 100);
  sandbox.changed();
}
