// The workshop's pipeline (media/templates/pipeline.yaml) and the service stack it can deploy first
// (media/templates/service.yaml): every output and parameter name the extension relies on.
import type { PipelineTemplate } from './pipelineTemplate';

export const WORKSHOP_TEMPLATE: PipelineTemplate = {
  file: 'pipeline.yaml',
  outputs: {
    pipelineName: 'PipelineName',
    cloneUrl: 'CloneUrlHttp',
    cluster: 'ClusterName',
    service: 'ServiceName',
    artifactBucket: 'ArtifactBucket',
  },
  repositorySwitches: [
    { kind: 'codeCommit', switchParameter: 'CreateCodeCommitRepository', nameParameter: 'RepositoryName' },
    { kind: 'ecr', switchParameter: 'CreateEcrRepository', nameParameter: 'EcrRepositoryName' },
  ],
  serviceStack: {
    file: 'service.yaml',
    stackName: (pipelineStack) => `${pipelineStack}-Service`.slice(0, 128),
    clusterParameter: 'ClusterName',
    serviceParameter: 'ServiceName',
    imageRepositoryParameter: 'EcrRepositoryName',
    imageTag: 'latest',
    sharedParameters: [
      'ClusterName',
      'ServiceName',
      'ContainerName',
      'EcrRepositoryName',
      'ContainerPort',
      'HealthCheckPath',
    ],
    desiredCountParameter: 'DesiredCount',
    defaultDesiredCount: 2,
    urlOutput: 'ServiceUrl',
  },
};
