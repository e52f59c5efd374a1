// The seed's CLI loops that the benchmarks compare against, run by real bash with a stand-in for
// the AWS CLI (the real one is exercised by `npm run bench:quick`): a loop that does not parse, or
// never ends, breaks the benchmark (a search-and-replace once turned `until` into `waitFor`).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { runSeedDeploy, seedDeployScript, seedStageLoopScript, startSeedStageLoop } from '../../../bench/seedCli';
import { waitFor } from '../../support/waitFor';

// Answers like the AWS CLI: describe-stacks says CREATE_IN_PROGRESS twice, then CREATE_COMPLETE;
// get-pipeline-state prints one tab-separated line per stage. Every call is appended to calls.log.
const CLI_STANDIN = `#!/bin/bash
dir="$(dirname "$0")"
echo "$*" >> "$dir/calls.log"
case "$*" in
  *describe-stacks*)
    n=$(grep -c describe-stacks "$dir/calls.log")
    if [ "$n" -le 2 ]; then echo CREATE_IN_PROGRESS; else echo CREATE_COMPLETE; fi ;;
  *get-pipeline-state*)
    printf 'Source\\texec-1\\tSucceeded\\nBuild\\texec-1\\tInProgress\\nDeploy\\tNone\\tNone\\n' ;;
esac
`;

describe("the seed's CLI loops", () => {
  let dir: string;
  let cli: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wp-seed-'));
    cli = join(dir, 'aws');
    writeFileSync(cli, CLI_STANDIN);
    chmodSync(cli, 0o755);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are valid bash', () => {
    for (const script of [seedDeployScript(30), seedStageLoopScript(30)]) {
      execFileSync('bash', ['-n', '-c', script]);
    }
  });

  it('deploy: creates the stack, asks until CREATE_COMPLETE, and says the stack is built', async () => {
    const before = Date.now();
    const builtAt = await runSeedDeploy({
      cli,
      endpoint: 'http://127.0.0.1:1',
      home: dir,
      stackName: 'BenchSeed0',
      template: 'media/templates/pipeline.yaml',
      parameters: ['ParameterKey=A,ParameterValue=1', 'ParameterKey=B,ParameterValue=two words'],
      startAfterS: 0,
      intervalS: 0,
    });
    assert.ok(builtAt >= before);
    const calls = readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n');
    assert.deepEqual(calls, [
      '--endpoint-url http://127.0.0.1:1 cloudformation create-stack --stack-name BenchSeed0 --template-body file://media/templates/pipeline.yaml --parameters ParameterKey=A,ParameterValue=1 ParameterKey=B,ParameterValue=two words --capabilities CAPABILITY_NAMED_IAM',
      ...Array<string>(3).fill(
        '--endpoint-url http://127.0.0.1:1 cloudformation describe-stacks --stack-name BenchSeed0 --query Stacks[0].[StackStatus] --output text',
      ),
    ]);
  });

  it('stages: reads every stage each round until it is stopped', async () => {
    const loop = startSeedStageLoop({
      cli,
      endpoint: 'http://127.0.0.1:1',
      home: dir,
      pipelineName: 'WorkshopPipeline-Pipeline',
      intervalS: 0.05,
    });
    await waitFor(() => (loop.observations.length >= 2 ? true : undefined), 30_000);
    await loop.stop();
    const first = loop.observations[0];
    assert.deepEqual(
      [...first.stages],
      [
        ['Source', { execution: 'exec-1', status: 'Succeeded' }],
        ['Build', { execution: 'exec-1', status: 'InProgress' }],
        ['Deploy', { execution: undefined, status: 'NotStarted' }],
      ],
    );
    assert.match(
      readFileSync(join(dir, 'calls.log'), 'utf8'),
      /codepipeline get-pipeline-state --name WorkshopPipeline-Pipeline --query/,
    );
  });
});
