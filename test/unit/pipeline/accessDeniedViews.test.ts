// A denied read in the Pipeline and Service Health views: a paused "access denied" node that names
// the missing permission, offers Open Permissions, and is never retried as if AWS were offline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PipelineApi } from '../../../src/aws/codepipeline';
import { pollErrorKind } from '../../../src/aws/errors';
import { HealthTracker } from '../../../src/health/healthTracker';
import { PipelineTracker } from '../../../src/pipeline/pipelineTracker';
import type { TreeNodeView } from '../../../src/pipeline/viewNode';

const CONTEXT = { profile: 'viewer', sso: false, region: 'us-east-1', endpointUrl: undefined };
const VIEWER = 'arn:aws:iam::111122223333:user/viewer';
const denied = (action: string, resource: string) =>
  Object.assign(
    new Error(
      `User: ${VIEWER} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
    ),
    { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } },
  );
const refuse = (error: Error) => () => Promise.reject(error);
const childCommands = (node: TreeNodeView | undefined): (string | undefined)[] =>
  node && node.children !== 'lazy' ? (node.children ?? []).map((c) => c.links.runCommand) : [];

describe('access denied in the views', () => {
  it('the Pipeline view pauses on a denied GetPipelineState, naming the permission, with Open Permissions', async () => {
    const pipelineArn = 'arn:aws:codepipeline:us-east-1:111122223333:WorkshopPipeline-Pipeline';
    const error = denied('codepipeline:GetPipelineState', pipelineArn);
    assert.equal(pollErrorKind(error), 'error', 'a denial is not offline or throttled');
    const api: PipelineApi = {
      getPipeline: refuse(error),
      getPipelineState: refuse(error),
      listPipelineExecutions: refuse(error),
      getPipelineExecution: refuse(error),
      listActionExecutions: refuse(error),
    };
    const t = new PipelineTracker({
      api,
      pipelineName: 'WorkshopPipeline-Pipeline',
      region: 'us-east-1',
      account: '111122223333',
      errorContext: CONTEXT,
      notifications: () => 'all',
    });
    assert.equal((await t.run()).paused, true);
    assert.equal(t.view.problem?.kind, 'accessDenied');
    assert.equal(
      t.view.problem?.message,
      `${VIEWER} is not allowed codepipeline:GetPipelineState on ${pipelineArn}. Attach docs/iam/workshop-pipeline-full.json (or -watch.json for watching) — see Permissions in the README.`,
    );
    assert.equal(t.view.root?.description, 'access denied');
    assert.deepEqual(childCommands(t.view.root), [
      'workshopPipeline.openPermissions',
      'workshopPipeline.selectProfile',
      'workshopPipeline.refresh',
    ]);
    t.dispose();
  });

  it('Service Health pauses on a denied DescribeServices, naming the permission, with Open Permissions', async () => {
    const serviceArn = 'arn:aws:ecs:us-east-1:111122223333:service/workshop/workshop-web';
    const error = denied('ecs:DescribeServices', serviceArn);
    const t = new HealthTracker({
      ecs: { describeService: refuse(error), describeTaskDefinition: refuse(error) },
      elbv2: { describeTargetHealth: refuse(error) },
      cluster: 'workshop',
      service: 'workshop-web',
      where: { account: '111122223333', region: 'us-east-1' },
      errorContext: CONTEXT,
    });
    assert.equal((await t.run()).paused, true);
    assert.equal(t.view.problem?.kind, 'accessDenied');
    assert.match(
      t.view.problem?.message ?? '',
      /^arn:aws:iam::111122223333:user\/viewer is not allowed ecs:DescribeServices on arn:aws:ecs:us-east-1:111122223333:service\/workshop\/workshop-web\. Attach docs\/iam\/workshop-pipeline-full\.json/,
    );
    assert.deepEqual(childCommands(t.view.nodes[0]), [
      'workshopPipeline.openPermissions',
      'workshopPipeline.selectProfile',
      'workshopPipeline.refresh',
    ]);
    t.dispose();
  });
});
