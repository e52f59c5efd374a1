// The CodePipeline calls the model needs, shaped like the SDK's outputs (type-only imports, so
// nothing of the SDK is loaded here). src/aws implements it; tests pass fixtures.
import type {
  GetPipelineExecutionOutput,
  GetPipelineOutput,
  GetPipelineStateOutput,
  ListActionExecutionsOutput,
  ListPipelineExecutionsOutput,
} from '@aws-sdk/client-codepipeline';

export interface PipelineApi {
  getPipeline(name: string): Promise<GetPipelineOutput>;
  getPipelineState(name: string): Promise<GetPipelineStateOutput>;
  listPipelineExecutions(name: string, maxResults: number): Promise<ListPipelineExecutionsOutput>;
  getPipelineExecution(name: string, executionId: string): Promise<GetPipelineExecutionOutput>;
  listActionExecutions(name: string, executionId: string): Promise<ListActionExecutionsOutput>;
}

export type {
  ActionDeclaration,
  ActionExecutionDetail,
  ActionState,
  GetPipelineStateOutput,
  PipelineDeclaration,
  PipelineExecution,
  PipelineExecutionSummary,
  StageState,
} from '@aws-sdk/client-codepipeline';
