// CodePipeline through the session's client: the reads the pipeline model polls (PipelineApi) and
// the actions the commands take. Outputs keep the SDK's shapes (type-only imports, so nothing of the
// SDK is loaded by the models that use these types; tests pass fixtures).
import type {
  GetPipelineExecutionOutput,
  GetPipelineOutput,
  GetPipelineStateOutput,
  ListActionExecutionsOutput,
  ListPipelineExecutionsOutput,
} from '@aws-sdk/client-codepipeline';
import type { AwsSession } from './awsSession';

/** The reads the pipeline model polls. */
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
  GetPipelineOutput,
  GetPipelineStateOutput,
  PipelineDeclaration,
  PipelineExecution,
  PipelineExecutionSummary,
  StageState,
} from '@aws-sdk/client-codepipeline';

export interface PipelineSummaryItem {
  readonly name: string;
  readonly type?: string;
  readonly updated?: Date;
}

export interface CodePipelineApi extends PipelineApi {
  /** Release Change: returns the new execution id. */
  startPipelineExecution(name: string): Promise<string | undefined>;
  /** Retries the failed actions of a stage of an execution; returns the execution id. */
  retryStageExecution(name: string, stageName: string, executionId: string): Promise<string | undefined>;
  /** `abandon`: stop at once, abandoning in-progress actions; otherwise let them finish. */
  stopPipelineExecution(name: string, executionId: string, abandon: boolean, reason?: string): Promise<void>;
  putApprovalResult(input: {
    name: string;
    stageName: string;
    actionName: string;
    token: string;
    approved: boolean;
    summary: string;
  }): Promise<void>;
  /** Every pipeline of the account and region (all pages). */
  listPipelines(): Promise<PipelineSummaryItem[]>;
}

export function codePipelineApi(session: AwsSession): CodePipelineApi {
  const sdk = session.sdkModule;
  const client = () => session.client('codepipeline', (s, config) => new s.CodePipelineClient(config));
  return {
    getPipeline: (name) => client().send(new sdk.GetPipelineCommand({ name })),
    getPipelineState: (name) => client().send(new sdk.GetPipelineStateCommand({ name })),
    listPipelineExecutions: (name, maxResults) =>
      client().send(new sdk.ListPipelineExecutionsCommand({ pipelineName: name, maxResults })),
    getPipelineExecution: (name, executionId) =>
      client().send(new sdk.GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: executionId })),
    listActionExecutions: (name, executionId) =>
      client().send(
        new sdk.ListActionExecutionsCommand({ pipelineName: name, filter: { pipelineExecutionId: executionId } }),
      ),
    async startPipelineExecution(name) {
      return (await client().send(new sdk.StartPipelineExecutionCommand({ name }))).pipelineExecutionId;
    },
    async retryStageExecution(name, stageName, executionId) {
      const out = await client().send(
        new sdk.RetryStageExecutionCommand({
          pipelineName: name,
          stageName,
          pipelineExecutionId: executionId,
          retryMode: 'FAILED_ACTIONS',
        }),
      );
      return out.pipelineExecutionId;
    },
    async stopPipelineExecution(name, executionId, abandon, reason) {
      await client().send(
        new sdk.StopPipelineExecutionCommand({
          pipelineName: name,
          pipelineExecutionId: executionId,
          abandon,
          ...(reason ? { reason } : {}),
        }),
      );
    },
    async putApprovalResult({ name, stageName, actionName, token, approved, summary }) {
      await client().send(
        new sdk.PutApprovalResultCommand({
          pipelineName: name,
          stageName,
          actionName,
          token,
          result: { status: approved ? 'Approved' : 'Rejected', summary },
        }),
      );
    },
    async listPipelines() {
      const out: PipelineSummaryItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client().send(new sdk.ListPipelinesCommand({ nextToken }));
        for (const p of page.pipelines ?? []) {
          if (p.name) {
            out.push({ name: p.name, type: p.pipelineType, updated: p.updated });
          }
        }
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
  };
}
