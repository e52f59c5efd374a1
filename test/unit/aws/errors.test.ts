import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainAwsError } from '../../../src/aws/errors';

const keys = { profile: 'workshop', sso: false, region: 'us-east-1', endpointUrl: undefined };
const sso = { ...keys, sso: true };

function awsError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('explainAwsError', () => {
  it('tells an SSO user to sign in (Sign In, or aws sso login for their profile)', () => {
    const p = explainAwsError(
      awsError('CredentialsProviderError', 'Could not load credentials from any providers'),
      sso,
    );
    assert.equal(p.kind, 'credentials');
    assert.match(p.message, /Sign in with IAM Identity Center/);
    assert.match(p.message, /aws sso login --profile workshop/);
  });

  it('tells a key user how to configure the profile', () => {
    const p = explainAwsError(
      awsError('CredentialsProviderError', 'Could not load credentials from any providers'),
      keys,
    );
    assert.match(p.message, /No AWS credentials found for profile "workshop"\. Run "aws configure --profile workshop"/);
  });

  it('recognises expired tokens', () => {
    const p = explainAwsError(awsError('ExpiredToken', 'The security token included in the request is expired'), sso);
    assert.equal(p.kind, 'expired');
    // An SSO user is offered the editor's Sign In first, the CLI's command as the alternative.
    assert.match(
      p.message,
      /have expired\. Sign in again \(Sign In with IAM Identity Center, or "aws sso login --profile workshop"/,
    );
  });

  it('reports rejected keys with the code, without repeating request details', () => {
    const p = explainAwsError(
      awsError('SignatureDoesNotMatch', 'The request signature we calculated does not match'),
      keys,
    );
    assert.equal(p.kind, 'credentials');
    assert.match(p.message, /rejected the credentials of profile "workshop" \(SignatureDoesNotMatch\)/);
  });

  it('points at the endpoint setting when a custom endpoint is unreachable', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const p = explainAwsError(error, { ...keys, endpointUrl: 'http://127.0.0.1:1' });
    assert.equal(p.kind, 'network');
    assert.match(p.message, /Could not reach http:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\).*workshopPipeline\.endpointUrl/);
  });

  it('names the denied permission and the policy to attach', () => {
    const p = explainAwsError(
      awsError(
        'AccessDenied',
        'User: arn:aws:iam::1:user/x is not authorized to perform: cloudformation:DescribeStacks',
      ),
      { ...keys, profile: undefined },
    );
    assert.equal(p.kind, 'accessDenied');
    assert.equal(p.denied?.action, 'cloudformation:DescribeStacks');
    assert.match(
      p.message,
      /^arn:aws:iam::1:user\/x is not allowed cloudformation:DescribeStacks\. Attach docs\/iam\/workshop-pipeline-full\.json/,
    );
  });

  it('keeps a denial it cannot read, for the profile, with the policy to attach', () => {
    const p = explainAwsError(awsError('AccessDenied', 'Access Denied'), { ...keys, profile: undefined });
    assert.equal(p.kind, 'accessDenied');
    assert.match(p.message, /profile "default": Access Denied Attach docs\/iam\/workshop-pipeline-full\.json/);
  });
});
