import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ParameterValue } from '../../../src/deploy/parameterValues';
import { serviceStackSettings, withServiceOutputs } from '../../../src/workshop/serviceStack';
import { WORKSHOP_TEMPLATE } from '../../../src/workshop/workshopTemplate';

const service = WORKSHOP_TEMPLATE.serviceStack!;

const value = (name: string, v: string): ParameterValue => ({ name, value: v, usePrevious: false, source: 'default' });
const pipelineValues = [
  value('ClusterName', 'C'),
  value('ServiceName', 'S'),
  value('ContainerName', 'app'),
  value('EcrRepositoryName', 'repo'),
  value('ContainerPort', '3000'),
  value('HealthCheckPath', '/healthz'),
  value('BranchName', 'main'),
];

describe('service stack', () => {
  it('shares the names the pipeline targets, and starts with no tasks until an image exists', () => {
    assert.deepEqual(serviceStackSettings(service, pipelineValues, false), {
      ClusterName: 'C',
      ServiceName: 'S',
      ContainerName: 'app',
      EcrRepositoryName: 'repo',
      ContainerPort: '3000',
      HealthCheckPath: '/healthz',
      DesiredCount: '0',
    });
    assert.equal(serviceStackSettings(service, pipelineValues, true).DesiredCount, undefined);
  });

  it('points the pipeline at what the service stack created', () => {
    const updated = withServiceOutputs(service, pipelineValues, [
      { key: 'ClusterName', value: 'C2' },
      { key: 'ServiceUrl', value: 'http://x' },
    ]);
    assert.equal(updated.find((v) => v.name === 'ClusterName')?.value, 'C2');
    assert.equal(updated.find((v) => v.name === 'ClusterName')?.source, 'detected');
    assert.equal(updated.find((v) => v.name === 'ServiceName')?.value, 'S');
  });

  it('names the service stack after the pipeline stack', () => {
    assert.equal(service.stackName('WorkshopPipeline'), 'WorkshopPipeline-Service');
  });
});
