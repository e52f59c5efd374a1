// CodeCommit repositories: metadata in the sandbox state (per account and region), the git data
// as bare repositories under dataDir. Exported for other services (CloudFormation's
// AWS::CodeCommit::Repository provider creates repositories through createRepository).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AwsError, type Sandbox } from '../core/types';

const run = promisify(execFile);

export interface RepositoryRecord {
  readonly repositoryId: string;
  readonly repositoryName: string;
  readonly repositoryDescription?: string;
  readonly accountId: string;
  readonly region: string;
  readonly creationDate: string;
  lastModifiedDate: string;
  defaultBranch?: string;
  readonly tags?: Record<string, string>;
}

interface CodeCommitState {
  /** Keyed by `<account>/<region>/<name>`. */
  repositories: Record<string, RepositoryRecord>;
}

export function codeCommitState(sandbox: Sandbox): CodeCommitState {
  const state = sandbox.state as { codecommit?: CodeCommitState };
  state.codecommit ??= { repositories: {} };
  return state.codecommit;
}

const key = (accountId: string, region: string, name: string): string => `${accountId}/${region}/${name}`;

/** Root for `git http-backend` (GIT_PROJECT_ROOT) of one account and region. */
export function gitRoot(sandbox: Sandbox, accountId: string, region: string): string {
  return join(sandbox.dataDir, 'codecommit', accountId, region);
}

export function repositoryDir(
  sandbox: Sandbox,
  repo: Pick<RepositoryRecord, 'accountId' | 'region' | 'repositoryName'>,
): string {
  return join(gitRoot(sandbox, repo.accountId, repo.region), `${repo.repositoryName}.git`);
}

export function findRepository(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  name: string,
): RepositoryRecord | undefined {
  return codeCommitState(sandbox).repositories[key(accountId, region, name)];
}

export function requireRepository(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  name: unknown,
): RepositoryRecord {
  const repositoryName = requireName(name);
  const repo = findRepository(sandbox, accountId, region, repositoryName);
  if (!repo) throw new AwsError('RepositoryDoesNotExistException', `${repositoryName} does not exist`);
  return repo;
}

export function listRepositories(sandbox: Sandbox, accountId: string, region: string): RepositoryRecord[] {
  return Object.values(codeCommitState(sandbox).repositories).filter(
    (r) => r.accountId === accountId && r.region === region,
  );
}

export function requireName(name: unknown): string {
  if (name === undefined || name === null || name === '') {
    throw new AwsError('RepositoryNameRequiredException', 'A repository name is required, but was not specified.');
  }
  if (typeof name !== 'string' || !/^[\w.-]{1,100}$/.test(name) || name.endsWith('.git')) {
    throw new AwsError(
      'InvalidRepositoryNameException',
      'The repository name is not valid. Repository names can be any valid combination of letters, numbers, periods, underscores, and dashes between 1 and 100 characters in length. Names are case sensitive. For more information, see Limits in the AWS CodeCommit User Guide.',
    );
  }
  return name;
}

export async function createRepository(
  sandbox: Sandbox,
  params: {
    accountId: string;
    region: string;
    repositoryName: unknown;
    repositoryDescription?: string;
    tags?: Record<string, string>;
  },
): Promise<RepositoryRecord> {
  const repositoryName = requireName(params.repositoryName);
  const repositories = codeCommitState(sandbox).repositories;
  const id = key(params.accountId, params.region, repositoryName);
  if (repositories[id])
    throw new AwsError('RepositoryNameExistsException', `Repository named ${repositoryName} already exists`);
  const now = sandbox.clock.now().toISOString();
  const record: RepositoryRecord = {
    repositoryId: randomUUID(),
    repositoryName,
    ...(params.repositoryDescription !== undefined ? { repositoryDescription: params.repositoryDescription } : {}),
    accountId: params.accountId,
    region: params.region,
    creationDate: now,
    lastModifiedDate: now,
    ...(params.tags ? { tags: params.tags } : {}),
  };
  repositories[id] = record;
  sandbox.changed();
  const dir = repositoryDir(sandbox, record);
  await mkdir(dir, { recursive: true });
  await git(['init', '--quiet', '--bare', dir]);
  return record;
}

export async function deleteRepository(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  name: unknown,
): Promise<RepositoryRecord | undefined> {
  const repositoryName = requireName(name);
  const repositories = codeCommitState(sandbox).repositories;
  const id = key(accountId, region, repositoryName);
  const record = repositories[id];
  if (!record) return undefined;
  delete repositories[id];
  sandbox.changed();
  await rm(repositoryDir(sandbox, record), { recursive: true, force: true });
  return record;
}

/** The API's RepositoryMetadata; clone URLs point at the endpoint the caller used. */
export function repositoryMetadata(repo: RepositoryRecord, host: string): Record<string, unknown> {
  return {
    accountId: repo.accountId,
    repositoryId: repo.repositoryId,
    repositoryName: repo.repositoryName,
    repositoryDescription: repo.repositoryDescription,
    defaultBranch: repo.defaultBranch,
    lastModifiedDate: new Date(repo.lastModifiedDate),
    creationDate: new Date(repo.creationDate),
    cloneUrlHttp: `http://${host}/v1/repos/${repo.repositoryName}`,
    cloneUrlSsh: `ssh://git-codecommit.${repo.region}.amazonaws.com/v1/repos/${repo.repositoryName}`,
    Arn: `arn:aws:codecommit:${repo.region}:${repo.accountId}:${repo.repositoryName}`,
  };
}

/** Branch heads of a bare repository: refs/heads/<branch> → commit id. */
export async function readBranches(dir: string): Promise<Map<string, string>> {
  const { stdout } = await git(['--git-dir', dir, 'for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/']);
  const branches = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [commitId, ref] = line.split(' ');
    if (commitId && ref?.startsWith('refs/heads/')) branches.set(ref.slice('refs/heads/'.length), commitId);
  }
  return branches;
}

/** Points the bare repository's HEAD at the default branch so clones check it out. */
export async function setHead(dir: string, branch: string): Promise<void> {
  await git(['--git-dir', dir, 'symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
}

/** git with an argument array and an environment isolated from the user's git configuration. */
export function git(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return run('git', [...args], { env: isolatedGitEnv(), maxBuffer: 16 * 1024 * 1024 });
}

export function isolatedGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    HOME: '/nonexistent',
    LANG: 'C',
    ...extra,
  };
}
