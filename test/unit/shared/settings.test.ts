import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpointProblem, readSettings, regionProblem, stackNameProblem } from '../../../src/shared/settings';

const from = (values: Record<string, unknown>) => (key: string) => values[key];

describe('readSettings', () => {
  it('uses the contract defaults when nothing is set', () => {
    const { settings, problems } = readSettings(from({}));
    assert.deepEqual(problems, []);
    assert.equal(settings.stackName, 'WorkshopPipeline');
    assert.equal(settings.notifications, 'mine');
    assert.equal(settings.profile, undefined);
    assert.equal(settings.region, undefined);
    assert.deepEqual(settings.parameters, {});
  });

  it('treats blank strings as unset, as the settings UI writes them', () => {
    const { settings, problems } = readSettings(from({ profile: '  ', region: '', endpointUrl: '', pipelineName: '' }));
    assert.deepEqual(problems, []);
    assert.equal(settings.profile, undefined);
    assert.equal(settings.endpointUrl, undefined);
    assert.equal(settings.pipelineName, undefined);
  });

  it('names the setting and what it expects for each bad value, keeping the good ones', () => {
    const { settings, problems } = readSettings(
      from({
        region: 'us-east-one',
        endpointUrl: 'not a url',
        stackName: '1stack',
        parameters: ['a'],
        notifications: 'loud',
        profile: 42,
      }),
    );
    assert.deepEqual(
      problems.map((p) => p.setting),
      ['profile', 'region', 'endpointUrl', 'stackName', 'parameters', 'notifications'],
    );
    assert.match(
      problems.find((p) => p.setting === 'endpointUrl')!.message,
      /"not a url" is not a URL; expected one like http/,
    );
    assert.match(problems.find((p) => p.setting === 'region')!.message, /expected one like us-east-1/);
    assert.match(problems.find((p) => p.setting === 'profile')!.message, /expected a string, got number 42/);
    assert.equal(settings.stackName, 'WorkshopPipeline', 'an invalid stack name falls back to the default');
    assert.equal(settings.region, undefined);
    assert.equal(settings.endpointUrl, undefined);
  });

  it('keeps parameter values as strings and rejects nested objects', () => {
    const { settings, problems } = readSettings(
      from({ parameters: { BranchName: 'main', DesiredCount: 2, Nested: { a: 1 } } }),
    );
    assert.deepEqual(settings.parameters, { BranchName: 'main', DesiredCount: '2' });
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /"Nested" must be a string, got an object/);
  });
});

describe('regionProblem', () => {
  it('accepts region codes of every partition', () => {
    for (const region of ['us-east-1', 'eu-west-2', 'cn-north-1', 'us-gov-west-1', 'ap-southeast-4']) {
      assert.equal(regionProblem(region), undefined, region);
    }
  });

  it('refuses a well-formed code that is not a region when given the table', () => {
    assert.match(regionProblem('us-east-9', (r) => r === 'us-east-1') ?? '', /"us-east-9" is not an AWS region/);
    assert.match(regionProblem('US-EAST-1') ?? '', /not a region code/);
  });
});

describe('endpointProblem and stackNameProblem', () => {
  it('accepts http(s) endpoints only, without credentials in them', () => {
    assert.equal(endpointProblem('http://127.0.0.1:4566'), undefined);
    assert.match(endpointProblem('ftp://example.com') ?? '', /http or https/);
    assert.match(endpointProblem('https://user:pw@example.com') ?? '', /user name or password/);
  });

  it('applies CloudFormation stack name rules', () => {
    assert.equal(stackNameProblem('WorkshopPipeline-2'), undefined);
    assert.match(stackNameProblem('my_stack') ?? '', /letters, digits and hyphens/);
    assert.match(stackNameProblem('a'.repeat(129)) ?? '', /at most 128/);
  });
});
