// ECS API shapes (DescribeServices, DescribeTasks, …) built from the stored records.
import type { Sandbox } from '../core/types';
import { servicesOf, tasksOf, type Cluster, type Service, type Task, type TaskDefinition } from './store';

export function describeCluster(sandbox: Sandbox, cluster: Cluster): Record<string, unknown> {
  const tasks = tasksOf(sandbox, cluster.clusterArn);
  return {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    status: cluster.status,
    registeredContainerInstancesCount: 0,
    runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingTasksCount: tasks.filter(
      (t) => t.lastStatus === 'PROVISIONING' || t.lastStatus === 'PENDING' || t.lastStatus === 'ACTIVATING',
    ).length,
    activeServicesCount: servicesOf(sandbox, cluster).length,
    statistics: [],
    tags: [],
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: [],
  };
}

export function describeService(service: Service): Record<string, unknown> {
  const primary = service.deployments.find((d) => d.status === 'PRIMARY');
  const sum = (f: (d: Service['deployments'][number]) => number): number =>
    service.deployments.reduce((n, d) => n + f(d), 0);
  return {
    serviceArn: service.serviceArn,
    serviceName: service.serviceName,
    clusterArn: service.clusterArn,
    loadBalancers: service.loadBalancers,
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: sum((d) => d.runningCount),
    pendingCount: sum((d) => d.pendingCount),
    launchType: service.launchType,
    platformVersion: 'LATEST',
    platformFamily: 'Linux',
    taskDefinition: primary?.taskDefinition ?? service.taskDefinition,
    deploymentConfiguration: {
      deploymentCircuitBreaker: service.circuitBreaker,
      maximumPercent: service.maximumPercent,
      minimumHealthyPercent: service.minimumHealthyPercent,
    },
    deployments: service.deployments.map((d) => ({
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinition,
      desiredCount: d.desiredCount,
      pendingCount: d.pendingCount,
      runningCount: d.runningCount,
      failedTasks: d.failedTasks,
      createdAt: new Date(d.createdAt),
      updatedAt: new Date(d.updatedAt),
      launchType: service.launchType,
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
      networkConfiguration: service.networkConfiguration,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
    })),
    roleArn: `arn:aws:iam::${service.accountId}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS`,
    events: service.events.map((e) => ({ id: e.id, createdAt: new Date(e.createdAt), message: e.message })),
    createdAt: new Date(service.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: service.networkConfiguration,
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    createdBy: service.createdBy,
    enableECSManagedTags: service.enableECSManagedTags ?? false,
    propagateTags: service.propagateTags ?? 'NONE',
    enableExecuteCommand: false,
  };
}

export function describeTask(task: Task, group: string): Record<string, unknown> {
  const attachmentId = task.taskArn
    .slice(-36)
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')
    .slice(0, 36);
  return {
    taskArn: task.taskArn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    group,
    startedBy: task.startedBy,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    healthStatus: task.healthStatus,
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    availabilityZone: task.availabilityZone,
    connectivity: task.lastStatus === 'PROVISIONING' ? undefined : 'CONNECTED',
    cpu: task.cpu,
    memory: task.memory,
    createdAt: new Date(task.createdAt),
    startedAt: task.startedAt === undefined ? undefined : new Date(task.startedAt),
    stoppingAt: task.stoppingAt === undefined ? undefined : new Date(task.stoppingAt),
    stoppedAt: task.stoppedAt === undefined ? undefined : new Date(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stopCode: task.stopCode,
    attachments: [
      {
        id: attachmentId,
        type: 'ElasticNetworkInterface',
        status: task.lastStatus === 'STOPPED' ? 'DELETED' : 'ATTACHED',
        details: [
          ...(task.subnetId !== undefined ? [{ name: 'subnetId', value: task.subnetId }] : []),
          { name: 'privateIPv4Address', value: task.ip },
        ],
      },
    ],
    containers: task.containers.map((c) => ({
      containerArn: `${task.taskArn.replace(':task/', ':container/')}/${c.name}`,
      taskArn: task.taskArn,
      name: c.name,
      image: c.image,
      lastStatus:
        task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING'
          ? 'PENDING'
          : task.lastStatus === 'STOPPED'
            ? 'STOPPED'
            : 'RUNNING',
      reason: c.reason,
      // Only a container with a health check has a health status.
      healthStatus: c.healthCheck ? task.healthStatus : 'UNKNOWN',
      networkInterfaces: [{ attachmentId, privateIpv4Address: task.ip }],
      cpu: '0',
    })),
    version: 1,
  };
}

export function describeTaskDefinition(td: TaskDefinition): Record<string, unknown> {
  return {
    ...td.body,
    taskDefinitionArn: td.taskDefinitionArn,
    family: td.family,
    revision: td.revision,
    status: td.status,
    compatibilities: ['EC2', 'FARGATE'],
    registeredAt: new Date(td.registeredAt),
    registeredBy: td.registeredBy,
  };
}
