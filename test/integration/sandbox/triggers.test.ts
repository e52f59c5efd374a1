// A push starts a pipeline only through what its stack configured, over real HTTP with the AWS SDK
// and real git (through the extension's own credential helper): an ENABLED EventBridge rule on the
// pushed branch whose target role may start the pipeline, or a polling source — never a pipeline
// without either, a disabled rule, a rule on another branch, a role without the permission, or a
// push git rejected. Ten racing pushes start exactly one execution per commit that landed.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CodeCommitClient, GetBranchCommand } from '@aws-sdk/client-codecommit';
import {
  CodePipelineClient,
  GetPipelineCommand,
  ListPipelineExecutionsCommand,
  type PipelineExecutionSummary,
} from '@aws-sdk/client-codepipeline';
import {
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTargetsByRuleCommand,
} from '@aws-sdk/client-eventbridge';
import { gitCredentialEnvironment } from '../../../src/git/gitEnvironment';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';
import { POLL_INTERVAL_MS } from '../../sandbox/codepipeline/triggers';
import { ensureHelperBuilt, HELPER, isolatedEnv, run } from '../git/harness';
import { clientConfig, waitFor } from './helpers';

const SPEED = 1000;
const ACCOUNT = '000000000000';
const REPO_ARN = `arn:aws:codecommit:us-east-1:${ACCOUNT}:triggers`;
const pipelineArn = (name: string): string => `arn:aws:codepipeline:us-east-1:${ACCOUNT}:${name}`;
/** Long enough for several polling rounds and any event delivery: what did not start by then never will. */
const QUIET_MS = (4 * POLL_INTERVAL_MS) / SPEED + 1_000;

function pipeline(name: string, source: Record<string, unknown>): Record<string, unknown> {
  return {
    Type: 'AWS::CodePipeline::Pipeline',
    DependsOn: ['Repository', 'PipelineRole'],
    Properties: {
      Name: name,
      PipelineType: 'V2',
      ExecutionMode: 'PARALLEL',
      RoleArn: { 'Fn::GetAtt': ['PipelineRole', 'Arn'] },
      ArtifactStore: { Type: 'S3', Location: 'artifacts' },
      Stages: [
        {
          Name: 'Source',
          Actions: [
            {
              Name: 'Source',
              ActionTypeId: { Category: 'Source', Owner: 'AWS', Provider: 'CodeCommit', Version: '1' },
              Configuration: { RepositoryName: 'triggers', BranchName: 'master', ...source },
              OutputArtifacts: [{ Name: 'Src' }],
            },
          ],
        },
        {
          Name: 'Ship',
          Actions: [
            {
              Name: 'Ship',
              ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'S3', Version: '1' },
              Configuration: { BucketName: 'site', Extract: 'true' },
              InputArtifacts: [{ Name: 'Src' }],
            },
          ],
        },
      ],
    },
  };
}

function rule(name: string, target: string, options: { branch?: string; state?: string; role?: string } = {}) {
  return {
    Type: 'AWS::Events::Rule',
    Properties: {
      Name: name,
      State: options.state ?? 'ENABLED',
      EventPattern: {
        source: ['aws.codecommit'],
        'detail-type': ['CodeCommit Repository State Change'],
        resources: [REPO_ARN],
        detail: {
          event: ['referenceCreated', 'referenceUpdated'],
          referenceType: ['branch'],
          referenceName: [options.branch ?? 'master'],
        },
      },
      Targets: [
        { Id: 'pipeline', Arn: pipelineArn(target), RoleArn: { 'Fn::GetAtt': [options.role ?? 'StartRole', 'Arn'] } },
      ],
    },
  };
}

const startPolicy = (resources: string[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: {
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    Policies: [
      {
        PolicyName: 'start-pipeline',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'codepipeline:StartPipelineExecution', Resource: resources }],
        },
      },
    ],
  },
});

const TEMPLATE = {
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    Repository: { Type: 'AWS::CodeCommit::Repository', Properties: { RepositoryName: 'triggers' } },
    // The pipelines' service role: CodePipeline assumes it to read the source and write the artifacts.
    PipelineRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'codepipeline.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        Policies: [
          {
            PolicyName: 'pipeline',
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [{ Effect: 'Allow', Action: ['codecommit:*', 's3:*'], Resource: '*' }],
            },
          },
        ],
      },
    },
    StartRole: startPolicy(['PipeRule', 'PipeDisabled', 'PipeOtherBranch'].map(pipelineArn)),
    // Allowed to start a pipeline, but not the one its rule targets.
    OtherRole: startPolicy([pipelineArn('PipeRule')]),
    PipeNoRule: pipeline('PipeNoRule', { PollForSourceChanges: false }),
    PipeRule: pipeline('PipeRule', { PollForSourceChanges: false }),
    PipeDisabled: pipeline('PipeDisabled', { PollForSourceChanges: false }),
    PipeOtherBranch: pipeline('PipeOtherBranch', { PollForSourceChanges: false }),
    PipeNoRights: pipeline('PipeNoRights', { PollForSourceChanges: false }),
    PipePolling: pipeline('PipePolling', {}),
    RuleMaster: rule('on-master', 'PipeRule'),
    RuleDisabled: rule('disabled', 'PipeDisabled', { state: 'DISABLED' }),
    RuleDevelop: rule('on-develop', 'PipeOtherBranch', { branch: 'develop' }),
    RuleNoRights: rule('no-rights', 'PipeNoRights', { role: 'OtherRole' }),
  },
};
const PIPELINES = ['PipeNoRule', 'PipeRule', 'PipeDisabled', 'PipeOtherBranch', 'PipeNoRights', 'PipePolling'];

describe('pipelines start as their stack configured them', { timeout: 300_000 }, () => {
  let running: RunningSandbox;
  let root: string;
  let gitEnv: NodeJS.ProcessEnv;
  let url: string;
  const clients: { destroy(): void }[] = [];
  const client = <T extends { destroy(): void }>(make: new (config: ReturnType<typeof clientConfig>) => T): T => {
    const c = new make(clientConfig(running.endpoint));
    clients.push(c);
    return c;
  };

  const executions = async (name: string): Promise<PipelineExecutionSummary[]> =>
    (await client(CodePipelineClient).send(new ListPipelineExecutionsCommand({ pipelineName: name })))
      .pipelineExecutionSummaries ?? [];
  const startedBy = async (name: string, commitId: string): Promise<PipelineExecutionSummary[]> =>
    (await executions(name)).filter(
      (e) => e.trigger?.triggerType !== 'CreatePipeline' && e.sourceRevisions?.[0]?.revisionId === commitId,
    );
  /** Every execution of each pipeline that was not its creation's. */
  const triggered = async (): Promise<Record<string, number>> =>
    Object.fromEntries(
      await Promise.all(
        PIPELINES.map(
          async (name) =>
            [name, (await executions(name)).filter((e) => e.trigger?.triggerType !== 'CreatePipeline').length] as const,
        ),
      ),
    );

  const git = async (cwd: string, ...args: string[]) => {
    const result = await run('git', args, { cwd, env: gitEnv });
    if (result.code !== 0) throw new Error(`git ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout.trim();
  };
  let clones = 0;
  /** A fresh clone (of master when it exists) with one new commit; returns its directory and the commit. */
  async function commitInClone(file: string): Promise<{ dir: string; commitId: string }> {
    const dir = join(root, `clone-${clones++}`);
    await git(root, 'clone', '--quiet', url, dir);
    writeFileSync(join(dir, file), `${file}\n`);
    await git(dir, 'add', file);
    await git(dir, 'commit', '--quiet', '-m', `Add ${file}`);
    return { dir, commitId: await git(dir, 'rev-parse', 'HEAD') };
  }

  before(async () => {
    ensureHelperBuilt();
    root = mkdtempSync(join(tmpdir(), 'sandbox-triggers-'));
    running = await startSandbox({ port: 0, speed: SPEED, seed: 1, services });
    const home = join(root, 'home');
    mkdirSync(home);
    const base = isolatedEnv(home, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    gitEnv = {
      ...base,
      ...gitCredentialEnvironment({
        nodePath: process.execPath,
        helperPath: HELPER,
        baseEnv: base,
        endpoint: running.endpoint,
        region: 'us-east-1',
      }),
    };
    url = `${running.endpoint}/v1/repos/triggers`;

    const cfn = client(CloudFormationClient);
    await cfn.send(
      new CreateStackCommand({
        StackName: 'Triggers',
        TemplateBody: JSON.stringify(TEMPLATE),
        Capabilities: ['CAPABILITY_IAM'],
      }),
    );
    const status = await waitFor(
      async () => {
        const s = (await cfn.send(new DescribeStacksCommand({ StackName: 'Triggers' }))).Stacks?.[0]?.StackStatus;
        return s && !s.endsWith('_IN_PROGRESS') ? s : undefined;
      },
      60_000,
      () => 'the stack never finished',
      100,
    );
    if (status !== 'CREATE_COMPLETE') {
      const { StackEvents = [] } = await cfn.send(new DescribeStackEventsCommand({ StackName: 'Triggers' }));
      assert.fail(
        `${status}: ${StackEvents.filter((e) => e.ResourceStatus?.endsWith('FAILED'))
          .map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`)
          .join('; ')}`,
      );
    }
  });

  after(async () => {
    for (const c of clients) c.destroy();
    await running?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('each pipeline ran once when it was created, and EventBridge lists the rules as configured', async () => {
    for (const name of PIPELINES) {
      assert.deepEqual(
        (await executions(name)).map((e) => [e.trigger?.triggerType, e.trigger?.triggerDetail]),
        [['CreatePipeline', `arn:aws:iam::${ACCOUNT}:root`]],
        name,
      );
    }
    const events = client(EventBridgeClient);
    const { Rules = [] } = await events.send(new ListRulesCommand({}));
    assert.deepEqual(
      Rules.map((r) => [r.Name, r.State, r.EventBusName, r.Arn]),
      ['disabled', 'no-rights', 'on-develop', 'on-master'].map((name) => [
        name,
        name === 'disabled' ? 'DISABLED' : 'ENABLED',
        'default',
        `arn:aws:events:us-east-1:${ACCOUNT}:rule/${name}`,
      ]),
    );
    const described = await events.send(new DescribeRuleCommand({ Name: 'on-master' }));
    assert.deepEqual(JSON.parse(described.EventPattern ?? '{}'), TEMPLATE.Resources.RuleMaster.Properties.EventPattern);
    assert.equal(described.CreatedBy, ACCOUNT);
    const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: 'on-master' }));
    assert.deepEqual(
      Targets.map((t) => [t.Id, t.Arn]),
      [['pipeline', pipelineArn('PipeRule')]],
    );
    assert.match(Targets[0].RoleArn ?? '', new RegExp(`^arn:aws:iam::${ACCOUNT}:role/Triggers-StartRole-`));
    await assert.rejects(events.send(new DescribeRuleCommand({ Name: 'nope' })), {
      name: 'ResourceNotFoundException',
      message: 'Rule nope does not exist on EventBus default.',
    });
    // The source's PollForSourceChanges is as declared; the polling pipeline declared none.
    const declared = await client(CodePipelineClient).send(new GetPipelineCommand({ name: 'PipePolling' }));
    assert.equal(declared.pipeline?.stages?.[0]?.actions?.[0]?.configuration?.PollForSourceChanges, undefined);
  });

  it('a push starts the pipeline of the enabled rule on its branch and the polling one, and no other', async () => {
    const { dir, commitId } = await commitInClone('first.txt');
    await git(dir, 'push', '--quiet', 'origin', 'HEAD:master');

    const [byRule] = await waitFor(
      async () => ((await startedBy('PipeRule', commitId)).length > 0 ? startedBy('PipeRule', commitId) : undefined),
      10_000,
      () => 'the rule never started PipeRule',
    );
    assert.deepEqual(byRule.trigger, {
      triggerType: 'CloudWatchEvent',
      triggerDetail: `arn:aws:events:us-east-1:${ACCOUNT}:rule/on-master`,
    });
    const [byPoll] = await waitFor(
      async () =>
        (await startedBy('PipePolling', commitId)).length > 0 ? startedBy('PipePolling', commitId) : undefined,
      10_000,
      () => 'polling never started PipePolling',
    );
    assert.deepEqual(byPoll.trigger, { triggerType: 'PollForSourceChanges', triggerDetail: 'Source' });

    // Nothing else starts, however long we wait.
    await assert.rejects(
      waitFor(
        async () => {
          const counts = await triggered();
          return Object.entries(counts).some(([name, n]) => n > (name === 'PipeRule' || name === 'PipePolling' ? 1 : 0))
            ? counts
            : undefined;
        },
        QUIET_MS,
        () => 'no other execution started',
      ),
      /Timed out after .*no other execution started/,
    );
    assert.deepEqual(await triggered(), {
      PipeNoRule: 0,
      PipeRule: 1,
      PipeDisabled: 0,
      PipeOtherBranch: 0,
      PipeNoRights: 0,
      PipePolling: 1,
    });
  });

  it('EnableRule makes the next push start the pipeline; DisableRule makes the one after start nothing', async () => {
    const events = client(EventBridgeClient);
    await events.send(new EnableRuleCommand({ Name: 'disabled' }));
    assert.equal((await events.send(new DescribeRuleCommand({ Name: 'disabled' }))).State, 'ENABLED');
    const enabled = await commitInClone('second.txt');
    await git(enabled.dir, 'push', '--quiet', 'origin', 'HEAD:master');
    const [execution] = await waitFor(
      async () =>
        (await startedBy('PipeDisabled', enabled.commitId)).length > 0
          ? startedBy('PipeDisabled', enabled.commitId)
          : undefined,
      10_000,
      () => 'the enabled rule never started PipeDisabled',
    );
    assert.equal(execution.trigger?.triggerDetail, `arn:aws:events:us-east-1:${ACCOUNT}:rule/disabled`);

    await events.send(new DisableRuleCommand({ Name: 'disabled' }));
    const disabled = await commitInClone('third.txt');
    await git(disabled.dir, 'push', '--quiet', 'origin', 'HEAD:master');
    // The same push starts PipeRule at once: by then the disabled rule had its chance.
    await waitFor(async () => ((await startedBy('PipeRule', disabled.commitId)).length > 0 ? true : undefined), 10_000);
    await assert.rejects(
      waitFor(
        async () => ((await startedBy('PipeDisabled', disabled.commitId)).length > 0 ? true : undefined),
        QUIET_MS,
      ),
      /Timed out/,
    );
    assert.deepEqual(await startedBy('PipeDisabled', disabled.commitId), []);
  });

  it('a rejected push starts nothing; ten racing pushes start exactly one execution per commit that landed', async () => {
    // A clone that falls behind: its push is not a fast-forward, and git rejects it.
    const behind = await commitInClone('behind.txt');
    const ahead = await commitInClone('ahead.txt');
    await git(ahead.dir, 'push', '--quiet', 'origin', 'HEAD:master');
    const rejected = await run('git', ['push', 'origin', 'HEAD:master'], { cwd: behind.dir, env: gitEnv });
    assert.notEqual(rejected.code, 0);
    assert.match(rejected.stderr, /\[rejected\]|non-fast-forward|fetch first/);
    await waitFor(async () => ((await startedBy('PipeRule', ahead.commitId)).length > 0 ? true : undefined), 10_000);

    // Ten clones of the same head, each with its own commit, push at once: git lets one land.
    const racers = await Promise.all(Array.from({ length: 10 }, (_, i) => commitInClone(`racer-${i}.txt`)));
    const counted = await triggered();
    const results = await Promise.all(
      racers.map((r) => run('git', ['push', 'origin', 'HEAD:master'], { cwd: r.dir, env: gitEnv })),
    );
    const landed = racers.filter((_, i) => results[i].code === 0).map((r) => r.commitId);
    const { branch } = await client(CodeCommitClient).send(
      new GetBranchCommand({ repositoryName: 'triggers', branchName: 'master' }),
    );
    assert.equal(landed.length, 1, `exactly one racing push lands: ${results.map((r) => r.code).join(',')}`);
    assert.equal(branch?.commitId, landed[0]);

    for (const commitId of landed) {
      await waitFor(async () => ((await startedBy('PipeRule', commitId)).length > 0 ? true : undefined), 10_000);
    }
    await assert.rejects(
      waitFor(
        async () => {
          const now = await triggered();
          return now.PipeRule > counted.PipeRule + landed.length ? now : undefined;
        },
        QUIET_MS,
        () => 'no further execution',
      ),
      /Timed out/,
    );
    const byCommit = await Promise.all(landed.map((c) => startedBy('PipeRule', c)));
    assert.deepEqual(
      byCommit.map((e) => e.length),
      landed.map(() => 1),
    );
    assert.equal((await triggered()).PipeRule, counted.PipeRule + landed.length);
    assert.deepEqual(await startedBy('PipeRule', behind.commitId), [], 'the rejected commit started nothing');
    for (const racer of racers.filter((r) => !landed.includes(r.commitId))) {
      assert.deepEqual(await startedBy('PipeRule', racer.commitId), [], `rejected ${racer.commitId}`);
    }
  });
});

describe('V2 pipeline triggers', () => {
  it('are rejected for a CodeCommit source action, as CodePipeline rejects them', async (t) => {
    const running = await startSandbox({ port: 0, speed: SPEED, seed: 1, services });
    t.after(() => running.close());
    const cfn = new CloudFormationClient(clientConfig(running.endpoint));
    t.after(() => cfn.destroy());
    const withTrigger = pipeline('PipeTriggers', {});
    (withTrigger.Properties as Record<string, unknown>).Triggers = [
      {
        ProviderType: 'CodeStarSourceConnection',
        GitConfiguration: { SourceActionName: 'Source', Push: [{ Branches: { Includes: ['master'] } }] },
      },
    ];
    await cfn.send(
      new CreateStackCommand({
        StackName: 'V2Triggers',
        Capabilities: ['CAPABILITY_IAM'],
        TemplateBody: JSON.stringify({
          Resources: {
            Repository: { Type: 'AWS::CodeCommit::Repository', Properties: { RepositoryName: 'triggers' } },
            PipelineRole: TEMPLATE.Resources.PipelineRole,
            Pipeline: withTrigger,
          },
        }),
      }),
    );
    const failure = await waitFor(async () => {
      const { StackEvents = [] } = await cfn.send(new DescribeStackEventsCommand({ StackName: 'V2Triggers' }));
      return StackEvents.find((e) => e.LogicalResourceId === 'Pipeline' && e.ResourceStatus === 'CREATE_FAILED');
    }, 30_000);
    assert.match(
      failure.ResourceStatusReason ?? '',
      /^Resource handler returned message: "Triggers for connection must reference a CodeStarSourceConnection action\. Note that when you specify a trigger, you cant specify more than one trigger per source action\. \(Service: CodePipeline, Status Code: 400, Request ID: [0-9a-f-]{36}\)" \(RequestToken: [0-9a-f-]{36}, HandlerErrorCode: InvalidRequest\)$/,
    );
  });
});
