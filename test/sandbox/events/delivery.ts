// EventBridge delivery: an event put on an account's default bus goes to every ENABLED rule whose
// pattern matches it, and each such rule invokes its targets with the target's role. A pipeline
// target starts only when that role may codepipeline:StartPipelineExecution on the pipeline;
// otherwise the invocation fails, silently for the caller, as on AWS (a FailedInvocations metric).
import type { Sandbox } from '../core/types';
import { invokePipelineTarget, type AwsEvent } from './bus';
import { compilePattern, matchesPattern } from './pattern';
import { DEFAULT_BUS, rulesOf } from './store';
import { roleAllows } from './targetRole';

const PIPELINE_ARN = /^arn:aws[\w-]*:codepipeline:([a-z0-9-]+):(\d{12}):[A-Za-z0-9.@_-]+$/;

export function deliver(sandbox: Sandbox, event: AwsEvent): void {
  for (const rule of rulesOf(sandbox, event.account, event.region, DEFAULT_BUS)) {
    if (rule.state !== 'ENABLED' || rule.eventPattern === undefined) continue;
    if (!matchesPattern(compilePattern(rule.eventPattern), event)) continue;
    for (const target of rule.targets) {
      const pipeline = PIPELINE_ARN.exec(target.Arn);
      if (!pipeline || pipeline[2] !== event.account) continue;
      const role = target.RoleArn ?? rule.roleArn;
      const caller = { accountId: event.account, region: event.region, ruleArn: rule.arn };
      if (!roleAllows(sandbox, caller, role, 'codepipeline:StartPipelineExecution', target.Arn)) continue;
      invokePipelineTarget(sandbox, { pipelineArn: target.Arn, ruleArn: rule.arn, event });
    }
  }
}
