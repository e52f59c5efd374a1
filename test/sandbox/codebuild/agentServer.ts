// The build agent's side of the stand-ins' socket (see standins/agent.ts): one unix socket per
// build, answering the ECR login token, `docker login` and `docker push` against the sandbox's ECR.
// A unix socket, not a TCP port, so it is reachable from the build's own network namespace.
// The calls are the build's role's: GetAuthorizationToken for the login password, and the layer and
// image calls a push makes (the registry authorizes them as the principal the token was issued to).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Sandbox } from '../core/types';
import { findRepository, putImageManifest, repositoryArn } from '../ecr/store';
import { str } from '../core/values';
import type { RoleSession } from '../iam/serviceRoles';

export interface AgentServer {
  readonly socketPath: string;
  close(): Promise<void>;
}

const REGISTRY = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/;

/** ECR passwords issued by `aws ecr get-login-password`, per sandbox (valid 12 hours, as on AWS). */
interface Token {
  readonly accountId: string;
  readonly expires: number;
  /** Whose token it is; undefined for a build without a service role. */
  readonly session: RoleSession | undefined;
}
const issued = new WeakMap<Sandbox, Map<string, Token>>();

function tokens(sandbox: Sandbox): Map<string, Token> {
  let map = issued.get(sandbox);
  if (!map) {
    map = new Map<string, Token>();
    issued.set(sandbox, map);
  }
  return map;
}

export function startAgentServer(
  sandbox: Sandbox,
  socketPath: string,
  identity: { accountId: string; region: string },
  session: RoleSession | undefined,
): Promise<AgentServer> {
  const handle = (path: string, body: Record<string, unknown>): Record<string, unknown> => {
    if (path === '/ecr/login-password') {
      const refused = session?.can('ecr:GetAuthorizationToken', '*');
      if (refused && !refused.allowed) return { ok: false, message: refused.message };
      const password = randomBytes(96).toString('base64');
      tokens(sandbox).set(password, { accountId: identity.accountId, expires: Date.now() + 12 * 3_600_000, session });
      return { ok: true, password };
    }
    const registry = str(body.registry ?? '');
    const m = REGISTRY.exec(registry.replace(/^https?:\/\//, ''));
    if (path === '/registry/login') {
      const token = tokens(sandbox).get(str(body.password ?? ''));
      if (!m || body.username !== 'AWS' || !token || token.expires < Date.now() || token.accountId !== m[1])
        return {
          ok: false,
          message: `login attempt to https://${registry}/v2/ failed with status: 400 Bad Request`,
        };
      return { ok: true };
    }
    if (path === '/registry/push') {
      if (!m) return { ok: false, message: `dial tcp: lookup ${registry}: no such host` };
      const auth = typeof body.auth === 'string' ? Buffer.from(body.auth, 'base64').toString('utf8') : '';
      const password = auth.slice(auth.indexOf(':') + 1);
      const token = tokens(sandbox).get(password);
      if (!token || token.expires < Date.now() || token.accountId !== m[1])
        return { ok: false, message: 'no basic auth credentials' };
      const repository = str(body.repository ?? '');
      const repo = findRepository(sandbox, m[1], m[2], repository);
      if (!repo)
        return {
          ok: false,
          message: `name unknown: The repository with name '${repository}' does not exist in the registry with id '${m[1]}'`,
        };
      // docker asks which layers exist, uploads the missing one, then puts the manifest; the
      // registry answers a refused call with ECR's message, which docker prints after "denied: ".
      const layerExists = (repo.layers ?? []).includes(str(body.layerDigest ?? ''));
      const calls = [
        'ecr:BatchCheckLayerAvailability',
        ...(layerExists ? [] : ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload']),
        'ecr:PutImage',
      ];
      for (const action of calls) {
        const result = token.session?.can(action, repositoryArn(repo));
        if (result && !result.allowed) return { ok: false, message: `denied: ${result.message}` };
      }
      try {
        const result = putImageManifest(sandbox, repo, {
          manifest: str(body.manifest ?? ''),
          tag: str(body.tag ?? 'latest'),
          sizeInBytes: Number(body.size ?? 0),
          layerDigest: str(body.layerDigest ?? ''),
        });
        return { ok: true, digest: result.image.imageDigest, layerExisted: result.layerExisted };
      } catch (error) {
        return { ok: false, message: `tag invalid: ${(error as Error).message}` };
      }
    }
    return { ok: false, message: `unknown agent request ${path}` };
  };
  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      let answer: Record<string, unknown>;
      try {
        answer = handle(req.url ?? '', JSON.parse(text || '{}') as Record<string, unknown>);
      } catch (error) {
        answer = { ok: false, message: (error as Error).message };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () =>
      resolve({
        socketPath,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}
