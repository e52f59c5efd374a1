import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCodeCommitRemote } from '../../../src/git/codecommitRemote';

describe('isCodeCommitRemote (start-up activation and the Source Control push button)', () => {
  it("recognises CodeCommit's HTTPS clone URLs and git-remote-codecommit URLs", () => {
    for (const url of [
      'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/workshop',
      'https://git-codecommit-fips.us-gov-west-1.amazonaws.com/v1/repos/workshop',
      'https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/workshop',
      'codecommit://workshop',
      'codecommit::ap-northeast-2://workshop',
      'codecommit::us-east-1://profile@workshop',
    ])
      assert.ok(isCodeCommitRemote(url, undefined), url);
  });

  it('recognises the configured endpoint only for its CodeCommit repository paths', () => {
    const endpoint = 'http://127.0.0.1:4566';
    assert.ok(isCodeCommitRemote('http://127.0.0.1:4566/v1/repos/workshop', endpoint));
    assert.ok(!isCodeCommitRemote('http://127.0.0.1:4566/other/repo.git', endpoint));
    assert.ok(!isCodeCommitRemote('http://127.0.0.1:4566/v1/repos/workshop', undefined));
  });

  it('rejects other hosts, look-alikes and non-URLs', () => {
    for (const url of [
      'https://github.com/aws/aws-toolkit-vscode.git',
      'git@github.com:org/repo.git',
      'https://git-codecommit.us-east-1.amazonaws.com.evil.example/v1/repos/x',
      'ssh://git-codecommit.us-east-1.amazonaws.com/v1/repos/workshop',
      '',
      undefined,
    ])
      assert.ok(!isCodeCommitRemote(url, undefined), String(url));
  });
});
