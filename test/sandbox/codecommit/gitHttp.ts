// git smart HTTP at /v1/repos/<name>, served by `git http-backend` (CGI) over the bare
// repositories, authenticated the way CodeCommit authenticates git (gitAuth.ts). A successful push
// emits 'codecommit.push' per updated branch, as CodeCommit's EventBridge events would.
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpRoute, RouteContext } from '../core/types';
import { verifyGitAuthorization } from './gitAuth';
import {
  findRepository,
  gitRoot,
  isolatedGitEnv,
  readBranches,
  repositoryDir,
  setHead,
  type RepositoryRecord,
} from './repositories';

export const GIT_PATH_PREFIX = '/v1/repos/';

/** Payload of the bus event 'codecommit.push'. */
export interface CodeCommitPushEvent {
  readonly repositoryName: string;
  readonly branch: string;
  readonly commitId: string;
  readonly accountId: string;
  readonly region: string;
}

export const gitHttpRoute: HttpRoute = {
  pathPrefix: GIT_PATH_PREFIX,
  handle: serveGit,
};

async function serveGit(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const rest = url.pathname.slice(GIT_PATH_PREFIX.length);
  const slash = rest.indexOf('/');
  const rawName = slash < 0 ? rest : rest.slice(0, slash);
  const subPath = slash < 0 ? '' : rest.slice(slash);
  const name = safeDecode(rawName);
  if (!name || !/^[\w.-]{1,100}$/.test(name)) {
    req.resume();
    return sendText(res, 404, 'Repository not found\n');
  }

  const host = req.headers.host ?? '';
  const auth = await verifyGitAuthorization(
    req.headers.authorization,
    host,
    `${GIT_PATH_PREFIX}${rawName}`,
    ctx.findCredentials,
    ctx.defaultRegion,
  );
  if (!auth.ok) {
    // 401 with a Basic challenge makes git ask its credential helper (and reject bad credentials).
    req.resume();
    res.writeHead(401, { 'www-authenticate': 'Basic realm="AWS CodeCommit"', 'content-type': 'text/plain' });
    res.end('Unauthorized\n');
    return;
  }
  const repo = findRepository(ctx.sandbox, auth.credentials.accountId, auth.region, name);
  if (!repo) {
    req.resume();
    return sendText(res, 404, `Repository ${name} not found\n`);
  }

  const isPush = req.method === 'POST' && subPath === '/git-receive-pack';
  const dir = repositoryDir(ctx.sandbox, repo);
  const before = isPush ? await readBranches(dir) : undefined;
  const exitCode = await runHttpBackend(req, res, {
    GIT_PROJECT_ROOT: gitRoot(ctx.sandbox, repo.accountId, repo.region),
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: `/${repo.repositoryName}.git${subPath}`,
    QUERY_STRING: url.search.slice(1),
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    ...(req.headers['content-length'] !== undefined ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
    ...(req.headers['content-encoding'] !== undefined
      ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }
      : {}),
    ...(typeof req.headers['git-protocol'] === 'string' ? { GIT_PROTOCOL: req.headers['git-protocol'] } : {}),
    // http-backend enables receive-pack (push) only for an authenticated user.
    REMOTE_USER: auth.credentials.accessKeyId,
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
  });
  if (before && exitCode === 0) await announcePush(ctx, repo, dir, before);
}

/** Compares branch heads before and after a push and emits one event per created or moved branch. */
async function announcePush(
  ctx: RouteContext,
  repo: RepositoryRecord,
  dir: string,
  before: Map<string, string>,
): Promise<void> {
  const after = await readBranches(dir);
  const updated = [...after].filter(([branch, commitId]) => before.get(branch) !== commitId);
  if (updated.length === 0) return;
  repo.lastModifiedDate = ctx.sandbox.clock.now().toISOString();
  if (repo.defaultBranch === undefined || !after.has(repo.defaultBranch)) {
    // Like CodeCommit, the first branch pushed becomes the default one.
    const names = updated.map(([branch]) => branch);
    repo.defaultBranch = names.find((b) => b === 'main') ?? names.find((b) => b === 'master') ?? names[0];
    await setHead(dir, repo.defaultBranch);
  }
  ctx.sandbox.changed();
  for (const [branch, commitId] of updated) {
    const event: CodeCommitPushEvent = {
      repositoryName: repo.repositoryName,
      branch,
      commitId,
      accountId: repo.accountId,
      region: repo.region,
    };
    ctx.sandbox.bus.emit('codecommit.push', event);
  }
}

/** Runs `git http-backend` as a CGI: request body to stdin, CGI headers + body from stdout. */
function runHttpBackend(req: IncomingMessage, res: ServerResponse, cgiEnv: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('git', ['http-backend'], { env: isolatedGitEnv(cgiEnv), stdio: ['pipe', 'pipe', 'pipe'] });
    let header = Buffer.alloc(0);
    let headersDone = false;
    let stderr = '';
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined); // the backend may exit before reading everything
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      header = Buffer.concat([header, chunk]);
      const end = findHeaderEnd(header);
      if (!end) return;
      headersDone = true;
      writeCgiHeaders(res, header.subarray(0, end.index).toString('latin1'));
      res.write(header.subarray(end.index + end.length));
    });
    child.on('error', (error) => {
      console.error('sandbox: git http-backend failed to start:', error.message);
      if (!res.headersSent) sendText(res, 500, 'git http-backend failed\n');
      resolve(-1);
    });
    child.on('close', (code) => {
      if (code !== 0 && stderr) console.error(`sandbox: git http-backend exited with ${code}: ${stderr.trim()}`);
      if (!headersDone && !res.headersSent) sendText(res, 500, 'git http-backend produced no response\n');
      else res.end();
      resolve(code ?? -1);
    });
  });
}

function findHeaderEnd(buffer: Buffer): { index: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { index: crlf, length: 4 };
  if (lf >= 0) return { index: lf, length: 2 };
  return undefined;
}

function writeCgiHeaders(res: ServerResponse, block: string): void {
  let status = 200;
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
    else res.setHeader(name, value);
  }
  res.writeHead(status);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
