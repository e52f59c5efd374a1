// The Service Health view: the ECS service the pipeline deploys to, from the health tracker.
// Empty (welcome content) until connected and the service is known.
import type { AwsContext } from '../aws/awsContext';
import type { PipelineController } from '../following/pipelineController';
import type { TreeNodeView } from '../pipeline/viewNode';
import { NodeTreeProvider } from './nodeTreeProvider';

export class HealthTreeProvider extends NodeTreeProvider {
  constructor(
    private readonly aws: AwsContext,
    private readonly controller: PipelineController,
  ) {
    super();
    this.subscriptions.push(
      aws.onDidChangeState(() => this.rebuild(true)),
      controller.onDidChange((event) => {
        if (event.kind === 'selection') {
          this.rebuild(true);
        } else if (event.kind === 'health') {
          this.rebuild(event.change.tree.roots, event.change.tree.nodeIds);
        }
      }),
    );
    this.rebuild(false);
  }

  protected buildRoots(): readonly TreeNodeView[] {
    return this.aws.state.kind === 'ready' ? (this.controller.health?.view.nodes ?? []) : [];
  }
}
