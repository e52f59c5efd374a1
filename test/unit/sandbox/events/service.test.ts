// A sandbox state saved before EventBridge kept rules (the rule only in CloudFormation's records)
// resumes with the rule on the default bus, so a push still starts the pipeline it targets.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { cfnState } from '../../../sandbox/cloudformation/state';
import { createClock } from '../../../sandbox/core/clock';
import type { RequestContext, Sandbox } from '../../../sandbox/core/types';
import { awsEvent, onPipelineTarget, putEvent, type PipelineTargetInvocation } from '../../../sandbox/events/bus';
import { eventsService } from '../../../sandbox/events/service';

test('rules recorded by an earlier sandbox join the default bus and deliver', async () => {
  const sandbox: Sandbox = {
    clock: createClock(1),
    state: {},
    changed: () => undefined,
    bus: new EventEmitter(),
    scenarios: {},
    dataDir: '/nonexistent',
  };
  const pipelineArn = 'arn:aws:codepipeline:us-east-1:000000000000:app';
  const roleArn = 'arn:aws:iam::000000000000:role/start';
  const stackId = 'arn:aws:cloudformation:us-east-1:000000000000:stack/Workshop/1';
  const records = cfnState(sandbox).records;
  records['AWS::IAM::Role'] = {
    start: {
      stackId,
      logicalId: 'Role',
      properties: {
        AssumeRolePolicyDocument: {
          Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          {
            PolicyName: 'start',
            PolicyDocument: {
              Statement: [{ Effect: 'Allow', Action: 'codepipeline:StartPipelineExecution', Resource: pipelineArn }],
            },
          },
        ],
      },
    },
  };
  records['AWS::Events::Rule'] = {
    'Workshop-Rule-1': {
      stackId,
      logicalId: 'Rule',
      properties: {
        EventPattern: { source: ['aws.codecommit'], detail: { referenceName: ['main'] } },
        Targets: [{ Id: 'pipeline', Arn: pipelineArn, RoleArn: roleArn }],
      },
    },
  };
  eventsService.start!(sandbox);
  try {
    const ctx = { sandbox, accountId: '000000000000', region: 'us-east-1' } as RequestContext;
    const rule = (await eventsService.operations.DescribeRule({ Name: 'Workshop-Rule-1' }, ctx)) as Record<
      string,
      unknown
    >;
    assert.deepEqual([rule.State, rule.Arn], ['ENABLED', 'arn:aws:events:us-east-1:000000000000:rule/Workshop-Rule-1']);

    const started: PipelineTargetInvocation[] = [];
    onPipelineTarget(sandbox, (invocation) => started.push(invocation));
    const push = (referenceName: string) =>
      putEvent(
        sandbox,
        awsEvent(sandbox, {
          source: 'aws.codecommit',
          'detail-type': 'CodeCommit Repository State Change',
          account: '000000000000',
          region: 'us-east-1',
          resources: [],
          detail: { referenceName },
        }),
      );
    push('feature');
    push('main');
    assert.deepEqual(
      started.map((s) => [s.pipelineArn, s.ruleArn, s.event.detail.referenceName]),
      [[pipelineArn, String(rule.Arn), 'main']],
    );
  } finally {
    await eventsService.stop!(sandbox);
  }
});
