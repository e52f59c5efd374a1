// AWS::CodePipeline::Pipeline: creates the pipeline in the sandbox's CodePipeline. As on AWS, a new
// pipeline starts its first execution right away (trigger CreatePipeline), and V2 triggers that do
// not reference a CodeStarSourceConnection action are rejected.
import type { ResourceProvider } from '../cloudformation/providers/registry';
import { generatedName } from '../cloudformation/providers/names';
import { serviceFailure } from '../cloudformation/providers/serviceFailure';
import { camelKeys } from '../ecs/provider';
import { startExecution } from './engine';
import {
  findPipeline,
  pipelineKey,
  pipelineState,
  type PipelineDeclaration,
  type PipelineRecord,
  type PipelineTrigger,
} from './store';
import { recordSourceRevisions, triggerError } from './triggers';
import { str } from '../core/values';

function declaration(name: string, p: Record<string, unknown>, version: number): PipelineDeclaration {
  // Configuration keys stay PascalCase (they are the provider's own names); everything else is camelCase.
  const stages = (Array.isArray(p.Stages) ? (p.Stages as Record<string, unknown>[]) : []).map((stage) => ({
    name: String(stage.Name),
    actions: (Array.isArray(stage.Actions) ? (stage.Actions as Record<string, unknown>[]) : []).map((a) => {
      const { Configuration, ...rest } = a;
      const action = camelKeys(rest) as PipelineDeclaration['stages'][number]['actions'][number];
      const configuration = Object.fromEntries(
        Object.entries((Configuration ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k,
          typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : str(v),
        ]),
      );
      return {
        ...action,
        runOrder: Number(action.runOrder ?? 1),
        configuration,
        inputArtifacts: action.inputArtifacts ?? [],
        outputArtifacts: action.outputArtifacts ?? [],
      };
    }),
  }));
  const pipelineType = p.PipelineType === 'V2' ? 'V2' : 'V1';
  const mode = str(p.ExecutionMode ?? 'SUPERSEDED');
  const triggers = Array.isArray(p.Triggers) ? (camelKeys(p.Triggers) as PipelineTrigger[]) : [];
  const rejected = triggerError(triggers, stages);
  if (rejected) throw serviceFailure('CodePipeline', rejected, 'InvalidRequest');
  return {
    name,
    roleArn: str(p.RoleArn ?? ''),
    ...(p.ArtifactStore ? { artifactStore: camelKeys(p.ArtifactStore) as { type: string; location: string } } : {}),
    stages,
    version,
    pipelineType,
    executionMode: mode === 'QUEUED' || mode === 'PARALLEL' ? mode : 'SUPERSEDED',
    ...(triggers.length > 0 ? { triggers } : {}),
  };
}

export const codePipelineResourceProviders: Record<string, ResourceProvider> = {
  'AWS::CodePipeline::Pipeline': {
    attributes: ['Version', 'PipelineName'],
    async create(p, ctx) {
      const name = typeof p.Name === 'string' ? p.Name : generatedName(ctx.stackName, ctx.logicalId, { max: 100 });
      const pipeline = declaration(name, p, 1);
      await ctx.sandbox.clock.sleep(2_000, ctx.signal);
      const now = ctx.sandbox.clock.now().getTime();
      const record: PipelineRecord = {
        accountId: ctx.accountId,
        region: ctx.region,
        declaration: pipeline,
        created: now,
        updated: now,
        disabledTransitions: {},
        stageLatest: {},
      };
      pipelineState(ctx.sandbox).pipelines[pipelineKey(ctx.accountId, ctx.region, name)] = record;
      await recordSourceRevisions(ctx.sandbox, record);
      startExecution(ctx.sandbox, record, {
        trigger: { triggerType: 'CreatePipeline', triggerDetail: `arn:aws:iam::${ctx.accountId}:root` },
      });
      return { physicalId: name, attributes: { Version: '1', PipelineName: name } };
    },
    update(name, p, _previous, ctx) {
      const record = findPipeline(ctx.sandbox, ctx.accountId, ctx.region, name);
      if (!record) return Promise.resolve({ attributes: {} });
      try {
        record.declaration = declaration(name, p, record.declaration.version + 1);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      record.updated = ctx.sandbox.clock.now().getTime();
      ctx.sandbox.changed();
      return Promise.resolve({ attributes: { Version: String(record.declaration.version), PipelineName: name } });
    },
    delete(name, _p, ctx) {
      const state = pipelineState(ctx.sandbox);
      const key = pipelineKey(ctx.accountId, ctx.region, name);
      for (const e of state.executions[key] ?? []) if (e.status === 'InProgress') e.status = 'Cancelled';
      delete state.pipelines[key];
      delete state.executions[key];
      ctx.sandbox.changed();
      return Promise.resolve();
    },
  },
};
