// The Service Health view: the ECS service the pipeline deploys to, from the health tracker.
// Empty (welcome content) until connected and the service is known.
import type { AwsContext } from '../aws/awsContext';
import type { ControllerEvent, PipelineController } from '../following/pipelineController';
import type { TreeChange, TreeNodeView } from '../pipeline/viewNode';
import { NodeTreeProvider } from './nodeTreeProvider';

export class HealthTreeProvider extends NodeTreeProvider {
  constructor(aws: AwsContext, controller: PipelineController) {
    super(aws, controller);
    this.rebuild(false);
  }

  protected buildRoots(): readonly TreeNodeView[] {
    return this.aws.state.kind === 'ready' ? (this.controller.health?.view.nodes ?? []) : [];
  }

  protected changeOf(event: ControllerEvent): TreeChange | undefined {
    return event.kind === 'health' ? event.change.tree : undefined;
  }
}
