// AWS CodePipeline (awsJson1_1, CodePipeline_20150709): pipelines, executions and the engine that
// runs them. Executions start as configured (triggers.ts): an EventBridge rule that targets the
// pipeline, a polling source, StartPipelineExecution, or the pipeline's creation.
import { registerResourceProvider } from '../cloudformation/providers/registry';
import { stopBackground } from '../core/background';
import { paginate, pageLimit } from '../core/paging';
import { AwsError, type RequestContext, type Sandbox, type ServiceDefinition } from '../core/types';
import { actionExecutionDetail, executionDetail, executionSummary, pipelineMetadata, pipelineState } from './describe';
import { abandon, launch, resetRuntime, startExecution } from './engine';
import { onPipelineTarget } from '../events/bus';
import { codePipelineResourceProviders } from './provider';
import { executionsOf, pipelineState as stateOf, requireExecution, requirePipeline } from './store';
import { startFromRule, startPolling, stopPolling } from './triggers';
import { str } from '../core/values';

for (const [type, provider] of Object.entries(codePipelineResourceProviders)) registerResourceProvider(type, provider);

const invalidToken = (): AwsError =>
  new AwsError(
    'InvalidNextTokenException',
    'The next token was specified in an invalid format. Make sure that the next token you provide is the token returned by a previous call.',
  );
const unsubscribers = new WeakMap<Sandbox, () => void>();

export const codePipelineService: ServiceDefinition = {
  signingName: 'codepipeline',
  protocol: 'awsJson1_1',
  targetPrefix: 'CodePipeline_20150709',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  start(sandbox) {
    unsubscribers.set(
      sandbox,
      onPipelineTarget(sandbox, (invocation) => startFromRule(sandbox, invocation)),
    );
    startPolling(sandbox);
    interruptLeftovers(sandbox);
  },
  async stop(sandbox) {
    unsubscribers.get(sandbox)?.();
    unsubscribers.delete(sandbox);
    stopPolling(sandbox);
    await stopBackground(sandbox);
  },
  async reset(sandbox) {
    await stopBackground(sandbox);
    resetRuntime(sandbox);
  },
  operations: {
    ListPipelines: (input, ctx) => {
      const pipelines = Object.values(stateOf(ctx.sandbox).pipelines)
        .filter((p) => p.accountId === ctx.accountId && p.region === ctx.region)
        .sort((a, b) => a.declaration.name.localeCompare(b.declaration.name));
      const page = paginate(
        pipelines,
        input.nextToken,
        pageLimit(input.maxResults, 1000, 1000, 'maxResults'),
        invalidToken,
      );
      return {
        pipelines: page.items.map((p) => ({
          name: p.declaration.name,
          version: p.declaration.version,
          pipelineType: p.declaration.pipelineType,
          executionMode: p.declaration.executionMode,
          created: new Date(p.created),
          updated: new Date(p.updated),
        })),
        nextToken: page.nextToken,
      };
    },

    GetPipeline: (input, ctx) => {
      const p = requirePipeline(ctx.sandbox, ctx.accountId, ctx.region, input.name);
      if (input.version !== undefined && Number(input.version) !== p.declaration.version) {
        throw new AwsError(
          'PipelineVersionNotFoundException',
          `Pipeline version ${str(input.version)} of pipeline ${p.declaration.name} does not exist.`,
        );
      }
      return { pipeline: p.declaration, metadata: pipelineMetadata(p) };
    },

    GetPipelineState: (input, ctx) =>
      pipelineState(ctx.sandbox, requirePipeline(ctx.sandbox, ctx.accountId, ctx.region, input.name)),

    ListPipelineExecutions: (input, ctx) => {
      const p = requirePipeline(ctx.sandbox, ctx.accountId, ctx.region, input.pipelineName);
      const page = paginate(
        executionsOf(ctx.sandbox, p),
        input.nextToken,
        pageLimit(input.maxResults, 100, 100, 'maxResults'),
        invalidToken,
      );
      return { pipelineExecutionSummaries: page.items.map(executionSummary), nextToken: page.nextToken };
    },

    GetPipelineExecution: (input, ctx) => {
      const p = requirePipeline(ctx.sandbox, ctx.accountId, ctx.region, input.pipelineName);
      return { pipelineExecution: executionDetail(requireExecution(ctx.sandbox, p, input.pipelineExecutionId)) };
    },

    StartPipelineExecution: (input, ctx) => {
      const p = requirePipeline(ctx.sandbox, ctx.accountId, ctx.region, input.name);
      const execution = startExecution(ctx.sandbox, p, {
        trigger: { triggerType: 'StartPipelineExecution', triggerDetail: caller(ctx) },
      });
      return { pipelineExecutionId: execution.pipelineExecutionId };
    },

    StopPipelineExecution: (input, ctx) => {
      const p = requirePipeline(ctx.sandbox, ctx.accountId, ctx.region, input.pipelineName);
      const execution = requireExecution(ctx.sandbox, p, input.pipelineExecutionId);
      if (execution.status === 'Stopping' && input.abandon !== true) {
        throw new AwsError(
          'DuplicatedStopRequestException',
          'The pipeline execution is already in a Stopping state. If you want to stop the execution immediately, choose Stop and abandon.',
        );
      }
      if (execution.status !== 'InProgress' && execution.status !== 'Stopping') {
        throw new AwsError(
          'PipelineExecutionNotStoppableException',
          'Unable to stop pipeline execution. The execution is not in progress.',
        );
      }
      const reason = typeof input.reason === 'string' ? input.reason : '';
      execution.stopRequest = { abandon: input.abandon === true, reason };
      execution.stopTrigger = { reason };
      execution.status = 'Stopping';
      ctx.sandbox.changed();
      if (input.abandon === true) abandon(ctx.sandbox, execution);
      return { pipelineExecutionId: execution.pipelineExecutionId };
    },

    RetryStageExecution: (input, ctx) => {
      const p = requirePipeline(ctx.sandbox, ctx.accountId, ctx.region, input.pipelineName);
      const stageName = str(input.stageName ?? '');
      const index = p.declaration.stages.findIndex((s) => s.name === stageName);
      if (index < 0)
        throw new AwsError('StageNotFoundException', `Stage ${stageName} not found in pipeline ${p.declaration.name}`);
      if (input.retryMode !== 'FAILED_ACTIONS' && input.retryMode !== 'ALL_ACTIONS') {
        throw new AwsError(
          'ValidationException',
          `1 validation error detected: Value '${String(input.retryMode)}' at 'retryMode' failed to satisfy constraint: Member must satisfy enum value set: [FAILED_ACTIONS, ALL_ACTIONS]`,
        );
      }
      const execution = requireExecution(ctx.sandbox, p, input.pipelineExecutionId);
      const stage = execution.stages[stageName];
      const retryable =
        stage &&
        (stage.status === 'Failed' || stage.status === 'Stopped') &&
        (execution.status === 'Failed' || execution.status === 'Stopped') &&
        p.stageLatest[stageName] === execution.pipelineExecutionId;
      if (!retryable) {
        throw new AwsError(
          'StageNotRetryableException',
          `Stage '${stageName}' in pipeline '${p.declaration.name}' is not retryable for execution '${execution.pipelineExecutionId}': only the latest execution of a failed or stopped stage can be retried.`,
        );
      }
      execution.status = 'InProgress';
      delete execution.statusSummary;
      delete execution.stopRequest;
      ctx.sandbox.changed();
      launch(ctx.sandbox, p, execution, index, input.retryMode === 'FAILED_ACTIONS');
      return { pipelineExecutionId: execution.pipelineExecutionId };
    },

    ListActionExecutions: (input, ctx) => {
      const p = requirePipeline(ctx.sandbox, ctx.accountId, ctx.region, input.pipelineName);
      const filter = (input.filter ?? {}) as { pipelineExecutionId?: unknown };
      const executions =
        filter.pipelineExecutionId === undefined
          ? executionsOf(ctx.sandbox, p)
          : [requireExecution(ctx.sandbox, p, filter.pipelineExecutionId)];
      const details = executions.flatMap((e) =>
        [...e.actionRuns].reverse().map((run) => actionExecutionDetail(p, e, run)),
      );
      const page = paginate(
        details,
        input.nextToken,
        pageLimit(input.maxResults, 100, 100, 'maxResults'),
        invalidToken,
      );
      return { actionExecutionDetails: page.items, nextToken: page.nextToken };
    },

    PutApprovalResult: (input, ctx) => {
      const p = requirePipeline(ctx.sandbox, ctx.accountId, ctx.region, input.pipelineName);
      const result = (input.result ?? {}) as { status?: unknown; summary?: unknown };
      const run = executionsOf(ctx.sandbox, p)
        .flatMap((e) => Object.values(e.stages[String(input.stageName)]?.actions ?? {}))
        .find((r) => r.actionName === input.actionName && r.status === 'InProgress');
      if (!run)
        throw new AwsError(
          'ActionNotFoundException',
          `Action ${String(input.actionName)} in stage ${String(input.stageName)} is not waiting for approval.`,
        );
      if (run.token !== input.token)
        throw new AwsError(
          'InvalidApprovalTokenException',
          `The token for the approval action is not valid: ${String(input.token)}`,
        );
      if (result.status !== 'Approved' && result.status !== 'Rejected') {
        throw new AwsError(
          'ValidationException',
          `1 validation error detected: Value '${String(result.status)}' at 'result.status' failed to satisfy constraint: Member must satisfy enum value set: [Approved, Rejected]`,
        );
      }
      run.approval = { status: result.status, summary: str(result.summary ?? '') };
      ctx.sandbox.changed();
      return { approvedAt: ctx.sandbox.clock.now() };
    },

    DisableStageTransition: (input, ctx) => {
      const p = requirePipeline(ctx.sandbox, ctx.accountId, ctx.region, input.pipelineName);
      if (!p.declaration.stages.some((s) => s.name === input.stageName))
        throw new AwsError(
          'StageNotFoundException',
          `Stage ${String(input.stageName)} not found in pipeline ${p.declaration.name}`,
        );
      p.disabledTransitions[str(input.stageName)] = {
        disabledReason: str(input.reason ?? ''),
        lastChangedAt: ctx.sandbox.clock.now().getTime(),
        lastChangedBy: caller(ctx),
      };
      ctx.sandbox.changed();
      return {};
    },

    EnableStageTransition: (input, ctx) => {
      const p = requirePipeline(ctx.sandbox, ctx.accountId, ctx.region, input.pipelineName);
      delete p.disabledTransitions[String(input.stageName)];
      ctx.sandbox.changed();
      return {};
    },
  },
};

function caller(ctx: RequestContext): string {
  return ctx.principal?.arn ?? `arn:aws:iam::${ctx.accountId}:root`;
}

/** After a restart with --state-dir, executions that were running cannot resume: they fail visibly. */
function interruptLeftovers(sandbox: Sandbox): void {
  const state = stateOf(sandbox);
  for (const executions of Object.values(state.executions)) {
    for (const e of executions) {
      if (e.status !== 'InProgress' && e.status !== 'Stopping') continue;
      for (const stage of Object.values(e.stages)) {
        if (stage.status !== 'InProgress' && stage.status !== 'Stopping') continue;
        stage.status = 'Failed';
        for (const run of Object.values(stage.actions)) {
          if (run.status === 'InProgress')
            Object.assign(run, {
              status: 'Failed',
              errorDetails: { code: 'JobFailed', message: 'The action was interrupted because the sandbox restarted.' },
            });
        }
      }
      e.status = 'Failed';
      e.statusSummary = 'The execution was interrupted because the sandbox restarted.';
    }
  }
  sandbox.changed();
}
