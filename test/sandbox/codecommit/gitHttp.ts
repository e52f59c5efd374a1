// git smart HTTP at /v1/repos/<name>, served by `git http-backend` (CGI) over the bare
// repositories, authenticated the way CodeCommit authenticates git (gitAuth.ts). Every ref a push
// actually changed — as git's own post-receive hook reports it, so a push git rejected (not a fast
// forward, a racing push that lost) changes nothing and announces nothing — becomes a "CodeCommit
// Repository State Change" event on EventBridge's default bus.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { HttpRoute, RouteContext, Sandbox } from '../core/types';
import { authorize } from '../iam/authorizer';
import { credentialsPrincipal } from '../iam/principal';
import { resourceArn } from '../iam/serviceReference';
import { putEvent } from '../events/bus';
import { verifyGitAuthorization } from './gitAuth';
import { parseRefUpdates, referenceChangeEvent, type RefUpdate } from './referenceEvents';
import { findRepository, gitRoot, isolatedGitEnv, repositoryDir, setHead, type RepositoryRecord } from './repositories';

export const GIT_PATH_PREFIX = '/v1/repos/';

/** Static hook: git runs it after a push with one "<old> <new> <ref>" line per ref it updated. */
const POST_RECEIVE = '#!/bin/sh\nexec cat >> "$SANDBOX_PUSH_LOG"\n';

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

  // CodeCommit authorizes git over HTTPS as codecommit:GitPull (fetch, clone) or codecommit:GitPush,
  // from the ref advertisement on; a denial is a bare 403, which git reports as
  // "The requested URL returned error: 403".
  const pushing = subPath === '/git-receive-pack' || url.searchParams.get('service') === 'git-receive-pack';
  const permission = authorize(
    ctx.sandbox,
    credentialsPrincipal(auth.credentials),
    pushing ? 'codecommit:GitPush' : 'codecommit:GitPull',
    resourceArn('codecommit', 'repository', repo, { RepositoryName: repo.repositoryName }),
    {
      region: auth.region,
      secureTransport: true,
      ...(req.socket.remoteAddress ? { sourceIp: req.socket.remoteAddress.replace(/^::ffff:/, '') } : {}),
    },
  );
  if (!permission.allowed) {
    req.resume();
    // No body: git would print a text/plain one as "remote: …", and CodeCommit's 403 shows none.
    res.writeHead(403, { 'content-length': 0 }).end();
    return;
  }

  const isPush = req.method === 'POST' && subPath === '/git-receive-pack';
  const pushLog = isPush ? await pushLogFile(ctx.sandbox) : undefined;
  await runHttpBackend(req, res, {
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
    ...(pushLog ? { ...pushLog.env } : {}),
  });
  if (!pushLog) return;
  const updates = parseRefUpdates(await readFile(pushLog.path, 'utf8').catch(() => ''));
  await rm(pushLog.path, { force: true });
  const caller = auth.credentials.arn ?? `arn:aws:iam::${auth.credentials.accountId}:root`;
  await announcePush(ctx.sandbox, repo, updates, caller);
}

/** The hooks directory, written once per sandbox (rewriting a hook git is running fails with ETXTBSY). */
const hooksDirs = new WeakMap<Sandbox, Promise<string>>();

function hooksDir(sandbox: Sandbox): Promise<string> {
  let dir = hooksDirs.get(sandbox);
  if (!dir) {
    dir = (async () => {
      const hooks = join(sandbox.dataDir, 'codecommit-hooks');
      const hook = join(hooks, 'post-receive');
      await mkdir(join(hooks, 'pushes'), { recursive: true });
      if ((await readFile(hook, 'utf8').catch(() => '')) !== POST_RECEIVE) await writeFile(hook, POST_RECEIVE);
      await chmod(hook, 0o755);
      return hooks;
    })();
    hooksDirs.set(sandbox, dir);
  }
  return dir;
}

/** Where this push's post-receive hook writes, and the environment that makes git run it. */
async function pushLogFile(sandbox: Sandbox): Promise<{ path: string; env: Record<string, string> }> {
  const hooks = await hooksDir(sandbox);
  const path = join(hooks, 'pushes', randomUUID());
  return {
    path,
    env: {
      SANDBOX_PUSH_LOG: path,
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'core.hooksPath',
      GIT_CONFIG_VALUE_0: hooks,
    },
  };
}

/** Records the push on the repository and puts one EventBridge event per changed ref. */
async function announcePush(
  sandbox: Sandbox,
  repo: RepositoryRecord,
  updates: readonly RefUpdate[],
  callerUserArn: string,
): Promise<void> {
  if (updates.length === 0) return;
  repo.lastModifiedDate = sandbox.clock.now().toISOString();
  const branches = updates
    .filter((u) => u.ref.startsWith('refs/heads/') && !/^0+$/.test(u.newCommitId))
    .map((u) => u.ref.slice('refs/heads/'.length));
  const defaultGone = updates.some((u) => u.ref === `refs/heads/${repo.defaultBranch}` && /^0+$/.test(u.newCommitId));
  if ((repo.defaultBranch === undefined || defaultGone) && branches.length > 0) {
    // Like CodeCommit, the first branch pushed becomes the default one.
    repo.defaultBranch = branches.find((b) => b === 'main') ?? branches.find((b) => b === 'master') ?? branches[0];
    await setHead(repositoryDir(sandbox, repo), repo.defaultBranch);
  }
  sandbox.changed();
  for (const update of updates) {
    const event = referenceChangeEvent(sandbox, repo, update, callerUserArn);
    if (event) putEvent(sandbox, event);
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
