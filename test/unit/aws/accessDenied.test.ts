import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deniedText, gitDenial, parseAccessDenied } from '../../../src/aws/accessDenied';

const VIEWER = 'arn:aws:iam::000000000000:user/viewer';

describe('parseAccessDenied', () => {
  it('reads identity, action and resource of the "no identity-based policy allows" form', () => {
    const d = parseAccessDenied(
      `User: ${VIEWER} is not authorized to perform: codepipeline:GetPipelineState on resource: arn:aws:codepipeline:us-east-1:000000000000:MyPipeline because no identity-based policy allows the codepipeline:GetPipelineState action`,
    );
    assert.deepEqual(d, {
      identity: VIEWER,
      action: 'codepipeline:GetPipelineState',
      resource: 'arn:aws:codepipeline:us-east-1:000000000000:MyPipeline',
      reason: 'noAllow',
      deniedBy: undefined,
    });
    assert.equal(
      deniedText(d),
      `${VIEWER} is not allowed codepipeline:GetPipelineState on arn:aws:codepipeline:us-east-1:000000000000:MyPipeline. Attach docs/iam/workshop-pipeline-full.json (or -watch.json for watching) — see Permissions in the README.`,
    );
  });

  it('reads an explicit deny, and says no attached policy overrides it', () => {
    const d = parseAccessDenied(
      'User: arn:aws:sts::000000000000:assumed-role/Dev/alice is not authorized to perform: ecs:UpdateService on resource: arn:aws:ecs:us-east-1:000000000000:service/C/S with an explicit deny in a service control policy',
    );
    assert.equal(d?.reason, 'explicitDeny');
    assert.equal(d?.deniedBy, 'a service control policy');
    assert.equal(d?.identity, 'arn:aws:sts::000000000000:assumed-role/Dev/alice');
    assert.match(
      deniedText(d),
      /^arn:aws:sts::000000000000:assumed-role\/Dev\/alice is not allowed ecs:UpdateService on arn:aws:ecs:us-east-1:000000000000:service\/C\/S\. An explicit deny in a service control policy refuses it, which no attached policy can override: ask your administrator\./,
    );
  });

  it("reads the query services' form without a resource, and S3's quoted resource", () => {
    const query = parseAccessDenied(
      `User: ${VIEWER} is not authorized to perform: cloudformation:ValidateTemplate because no identity-based policy allows the cloudformation:ValidateTemplate action`,
    );
    assert.equal(query?.action, 'cloudformation:ValidateTemplate');
    assert.equal(query?.resource, undefined);
    assert.equal(deniedText(query).split('.')[0], `${VIEWER} is not allowed cloudformation:ValidateTemplate`);
    const s3 = parseAccessDenied(
      `User: ${VIEWER} is not authorized to perform: s3:ListBucketVersions on resource: "arn:aws:s3:::bucket" because no identity-based policy allows the s3:ListBucketVersions action`,
    );
    assert.equal(s3?.resource, 'arn:aws:s3:::bucket');
  });

  it('reads the older form without a reason, and "*" as no particular resource', () => {
    const d = parseAccessDenied(
      `User: ${VIEWER} is not authorized to perform: elasticloadbalancing:DescribeTargetHealth on resource: *`,
    );
    assert.equal(d?.reason, 'unknown');
    assert.equal(d?.resource, '*');
    assert.match(
      deniedText(d),
      new RegExp(`^${VIEWER} is not allowed elasticloadbalancing:DescribeTargetHealth\\. Attach`),
    );
  });

  it("keeps the dots of a resource, and reads a resource handler's denial inside a stack event", () => {
    const d = parseAccessDenied(
      `Resource handler returned message: "User: ${VIEWER} is not authorized to perform: iam:CreateServiceLinkedRole on resource: arn:aws:iam::000000000000:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS because no identity-based policy allows the iam:CreateServiceLinkedRole action (Service: Iam, Status Code: 403, Request ID: 1)" (HandlerErrorCode: AccessDenied)`,
    );
    assert.equal(d?.resource, 'arn:aws:iam::000000000000:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS');
    assert.equal(d?.reason, 'noAllow');
    const end = parseAccessDenied(
      `User: ${VIEWER} is not authorized to perform: s3:ListBucket on resource: arn:aws:s3:::a.b.`,
    );
    assert.equal(end?.resource, 'arn:aws:s3:::a.b');
  });

  it('leaves other wordings alone', () => {
    assert.equal(parseAccessDenied('Access Denied'), undefined);
    assert.equal(parseAccessDenied('Not authorized to perform sts:AssumeRole'), undefined);
  });
});

describe('gitDenial', () => {
  const at = {
    identity: VIEWER,
    repositoryArn: 'arn:aws:codecommit:us-east-1:000000000000:modernization-workshop',
    pulling: false,
  };

  it("reads CodeCommit's bare 403 as the missing codecommit:GitPush", () => {
    const d = gitDenial(
      "fatal: unable to access 'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/modernization-workshop/': The requested URL returned error: 403",
      at,
    );
    assert.equal(
      deniedText(d!),
      `${VIEWER} is not allowed codecommit:GitPush on arn:aws:codecommit:us-east-1:000000000000:modernization-workshop. Attach docs/iam/workshop-pipeline-full.json (or -watch.json for watching) — see Permissions in the README.`,
    );
    assert.equal(gitDenial('error: 403', { ...at, pulling: true }), undefined);
    assert.equal(
      gitDenial('The requested URL returned error: 403', { ...at, pulling: true })?.action,
      'codecommit:GitPull',
    );
  });
});
