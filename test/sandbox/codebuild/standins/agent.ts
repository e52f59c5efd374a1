// The stand-ins' way to the sandbox: a JSON request over the build agent's unix socket (the path is
// in SANDBOX_AGENT_SOCKET, set by the runner for every build). It serves what a build reaches over
// the network on AWS: the ECR registry and the ECR login token.
import { request } from 'node:http';

export type AgentAnswer = { ok: true; [key: string]: unknown } | { ok: false; message: string };

export function agentRequest(path: string, body: Record<string, unknown>): Promise<AgentAnswer> {
  const socketPath = process.env.SANDBOX_AGENT_SOCKET;
  if (!socketPath) return Promise.resolve({ ok: false, message: 'no route to the registry (no build agent socket)' });
  return new Promise((resolve) => {
    const req = request(
      { socketPath, path, method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve(JSON.parse(text) as AgentAnswer));
      },
    );
    req.on('error', (error) => resolve({ ok: false, message: error.message }));
    req.end(JSON.stringify(body));
  });
}
