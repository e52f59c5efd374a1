// Amazon ECS (awsJson1_1, AmazonEC2ContainerServiceV20141113): what the extension's health view
// and the pipeline's Deploy action use. Rollouts run in rollout.ts.
import { registerResourceProvider } from '../cloudformation/providers/registry';
import { paginate, pageLimit } from '../core/paging';
import { AwsError, type RequestContext, type ServiceDefinition } from '../core/types';
import { describeCluster, describeService, describeTask, describeTaskDefinition } from './describe';
import { ecsResourceProviders } from './provider';
import { scaleService, startDeployment } from './rollout';
import {
  clusterArn,
  ecsState,
  findCluster,
  findService,
  findTaskDefinition,
  registerTaskDefinition,
  requireCluster,
  requireService,
  shortName,
  tasksOf,
} from './store';

for (const [type, provider] of Object.entries(ecsResourceProviders)) registerResourceProvider(type, provider);

const invalidToken = (): AwsError => new AwsError('InvalidParameterException', 'Invalid token');

export const ecsService: ServiceDefinition = {
  signingName: 'ecs',
  protocol: 'awsJson1_1',
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  operations: {
    DescribeClusters: (input, ctx) => {
      const wanted = Array.isArray(input.clusters) ? input.clusters.map(String) : ['default'];
      const clusters = [];
      const failures = [];
      for (const ref of wanted) {
        const cluster = findCluster(ctx.sandbox, ctx.accountId, ctx.region, ref);
        if (cluster) clusters.push(describeCluster(ctx.sandbox, cluster));
        else
          failures.push({
            arn: ref.startsWith('arn:') ? ref : clusterArn(ctx.accountId, ctx.region, ref),
            reason: 'MISSING',
          });
      }
      return { clusters, failures };
    },

    ListServices: (input, ctx) => {
      const cluster = requireCluster(ctx.sandbox, ctx.accountId, ctx.region, input.cluster);
      const arns = Object.values(ecsState(ctx.sandbox).services)
        .filter((s) => s.clusterArn === cluster.clusterArn && s.status === 'ACTIVE')
        .map((s) => s.serviceArn);
      const page = paginate(arns, input.nextToken, pageLimit(input.maxResults, 10, 100, 'maxResults'), invalidToken);
      return { serviceArns: page.items, nextToken: page.nextToken };
    },

    DescribeServices: (input, ctx) => {
      const cluster = requireCluster(ctx.sandbox, ctx.accountId, ctx.region, input.cluster);
      if (!Array.isArray(input.services) || input.services.length === 0)
        throw new AwsError('InvalidParameterException', 'Services cannot be empty.');
      if (input.services.length > 10)
        throw new AwsError('InvalidParameterException', 'Number of services requested exceeds the maximum of 10.');
      const services = [];
      const failures = [];
      for (const ref of input.services.map(String)) {
        const service = findService(ctx.sandbox, cluster, ref);
        if (service) services.push(describeService(service));
        else
          failures.push({
            arn: ref.startsWith('arn:')
              ? ref
              : `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${cluster.clusterName}/${ref}`,
            reason: 'MISSING',
          });
      }
      return { services, failures };
    },

    ListTasks: (input, ctx) => {
      const cluster = requireCluster(ctx.sandbox, ctx.accountId, ctx.region, input.cluster);
      const service =
        input.serviceName === undefined ? undefined : requireService(ctx.sandbox, cluster, input.serviceName);
      const desired = input.desiredStatus ?? 'RUNNING';
      const arns = tasksOf(ctx.sandbox, cluster.clusterArn)
        .filter((t) => (!service || t.serviceArn === service.serviceArn) && t.desiredStatus === desired)
        .filter((t) => input.startedBy === undefined || t.startedBy === input.startedBy)
        .filter((t) => input.family === undefined || shortName(t.taskDefinitionArn).split(':')[0] === input.family)
        .map((t) => t.taskArn);
      const page = paginate(arns, input.nextToken, pageLimit(input.maxResults, 100, 100, 'maxResults'), invalidToken);
      return { taskArns: page.items, nextToken: page.nextToken };
    },

    DescribeTasks: (input, ctx) => {
      const cluster = requireCluster(ctx.sandbox, ctx.accountId, ctx.region, input.cluster);
      if (!Array.isArray(input.tasks) || input.tasks.length === 0)
        throw new AwsError('InvalidParameterException', 'Tasks cannot be empty.');
      const all = tasksOf(ctx.sandbox, cluster.clusterArn);
      const tasks = [];
      const failures = [];
      for (const ref of input.tasks.map(String)) {
        const task = all.find((t) => t.taskArn === ref || shortName(t.taskArn) === ref);
        const service = task && ecsState(ctx.sandbox).services[task.serviceArn];
        if (task) tasks.push(describeTask(task, `service:${service?.serviceName ?? ''}`));
        else
          failures.push({
            arn: ref.startsWith('arn:')
              ? ref
              : `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task/${cluster.clusterName}/${ref}`,
            reason: 'MISSING',
          });
      }
      return { tasks, failures };
    },

    DescribeTaskDefinition: (input, ctx) => {
      const td = findTaskDefinition(ctx.sandbox, ctx.accountId, ctx.region, input.taskDefinition);
      if (!td) throw new AwsError('ClientException', 'Unable to describe task definition.');
      return { taskDefinition: describeTaskDefinition(td), tags: [] };
    },

    RegisterTaskDefinition: (input, ctx) => {
      const { tags: _tags, ...body } = input;
      const td = registerTaskDefinition(ctx.sandbox, ctx.accountId, ctx.region, body, principal(ctx));
      return { taskDefinition: describeTaskDefinition(td), tags: [] };
    },

    UpdateService: (input, ctx) => {
      const cluster = requireCluster(ctx.sandbox, ctx.accountId, ctx.region, input.cluster);
      const service = requireService(ctx.sandbox, cluster, input.service);
      if (service.status !== 'ACTIVE') throw new AwsError('ServiceNotActiveException', 'Service was not ACTIVE.');
      let redeploy = input.forceNewDeployment === true;
      let scale = false;
      if (input.taskDefinition !== undefined) {
        const td = findTaskDefinition(ctx.sandbox, ctx.accountId, ctx.region, input.taskDefinition);
        if (!td || td.status !== 'ACTIVE') throw new AwsError('ClientException', 'TaskDefinition not found.');
        redeploy ||= td.taskDefinitionArn !== service.taskDefinition;
        service.taskDefinition = td.taskDefinitionArn;
      }
      if (input.desiredCount !== undefined) {
        const count = Number(input.desiredCount);
        if (!Number.isInteger(count) || count < 0)
          throw new AwsError('InvalidParameterException', 'Invalid desiredCount.');
        scale = service.desiredCount !== count;
        service.desiredCount = count;
      }
      if (redeploy) startDeployment(ctx.sandbox, service);
      else if (scale) scaleService(ctx.sandbox, service);
      ctx.sandbox.changed();
      return { service: describeService(service) };
    },
  },
};

function principal(ctx: RequestContext): string {
  return ctx.principal?.arn ?? `arn:aws:iam::${ctx.accountId}:root`;
}
