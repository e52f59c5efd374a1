// Which welcome content the empty Service Health view shows (`workshopPipeline.healthView`), so it
// says only what is true: the pipeline is still being read, it has no ECS deploy action, no
// pipeline is followed, or its service is being read. Once read, the view has nodes ('shown').
import type { ConnectionState } from '../aws/awsContext';
import type { HealthTracker } from '../health/healthTracker';
import type { PipelineSelection } from './pipelineController';

export type HealthViewState = 'none' | 'resolving' | 'noPipeline' | 'noService' | 'reading' | 'shown';

export function healthViewState(
  connection: Pick<ConnectionState, 'kind'>,
  selection: PipelineSelection,
  health: Pick<HealthTracker, 'view'> | undefined,
): HealthViewState {
  if (connection.kind !== 'ready') {
    return 'none';
  }
  switch (selection.kind) {
    case 'none':
    case 'resolving':
      return 'resolving';
    case 'tracking':
      if (!health) {
        return 'noService';
      }
      return health.view.nodes.length > 0 ? 'shown' : 'reading';
    default:
      return 'noPipeline';
  }
}
