// Placeholder ECS resources: record-only until the ECS service registers providers that create clusters,
// task definitions and services in its state.
import { generatedName, randomUpper } from './names.js';
import { recordOnlyProvider, stringProp } from './recordOnly.js';
import type { ResourceProvider } from './registry.js';

function clusterName(value: unknown): string {
  const s = typeof value === 'string' && value !== '' ? value : 'default';
  return s.includes(':cluster/') ? s.slice(s.indexOf(':cluster/') + 9) : s;
}

export const ecsProviders: Record<string, ResourceProvider> = {
  'AWS::ECS::Cluster': recordOnlyProvider({
    type: 'AWS::ECS::Cluster',
    attributes: ['Arn'],
    createMs: 6_000,
    deleteMs: 2_000,
    physicalId: (p, ctx) => stringProp(p, 'ClusterName') ?? generatedName(ctx.stackName, ctx.logicalId, { max: 255 }),
    attributeValues: (name, _p, ctx) => ({ Arn: `arn:aws:ecs:${ctx.region}:${ctx.accountId}:cluster/${name}` }),
  }),
  'AWS::ECS::TaskDefinition': recordOnlyProvider({
    type: 'AWS::ECS::TaskDefinition',
    attributes: ['TaskDefinitionArn'],
    createMs: 2_000,
    deleteMs: 1_000,
    physicalId: (p, ctx) => {
      const family = stringProp(p, 'Family') ?? `${ctx.stackName}${ctx.logicalId}${randomUpper(12)}`;
      return `arn:aws:ecs:${ctx.region}:${ctx.accountId}:task-definition/${family}:1`;
    },
    attributeValues: (arn) => ({ TaskDefinitionArn: arn }),
  }),
  'AWS::ECS::Service': recordOnlyProvider({
    type: 'AWS::ECS::Service',
    attributes: ['Name', 'ServiceArn'],
    createMs: 60_000,
    updateMs: 60_000,
    deleteMs: 30_000,
    physicalId: (p, ctx) => {
      const name = stringProp(p, 'ServiceName') ?? generatedName(ctx.stackName, ctx.logicalId, { max: 255 });
      return `arn:aws:ecs:${ctx.region}:${ctx.accountId}:service/${clusterName(p.Cluster)}/${name}`;
    },
    attributeValues: (arn) => ({ ServiceArn: arn, Name: arn.slice(arn.lastIndexOf('/') + 1) }),
  }),
};
