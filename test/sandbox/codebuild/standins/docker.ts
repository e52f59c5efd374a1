// Stand-in for the docker CLI (with a per-build daemon), for what the pipeline template runs:
//   build [--pull] [--file F] --tag T CONTEXT   parses the Dockerfile (docker's parse errors), copies
//                                             the context files its COPY/ADD name into the image, and
//                                             records an image whose id hashes its config and layer
//   tag SRC DST · images · save --output F REF · load --input F   (a real docker-archive tar)
//   login --username U --password-stdin REGISTRY   checks the token with the sandbox's ECR
//   push REF   pushes to the sandbox ECR: the manifest digest becomes the ECR image digest; fails
//              as docker does without a login ("no basic auth credentials") or when the repository
//              does not exist ("name unknown: …")
//   run [--detach] [--name N] [--env K=V] [--publish [IP:]H:C] [--rm] IMAGE [CMD…]
//   inspect [--format '{{.State.Running}}'] NAME · logs [--tail N] NAME · rm [--force] NAME · ps
// How it differs from docker: base images (FROM) are not pulled (any reference is accepted) and RUN
// instructions are recorded, not executed; `run` starts the image's ENTRYPOINT/CMD as a process of
// this machine (with node etc. from the build's PATH) in a copy of the image's files, without a
// container filesystem or user (absolute paths into the image's files are rewritten to the copy), and returns once the published ports answer (docker returns when
// the container has started); the build's own network namespace keeps its published ports apart
// from other builds. The registry is reached through the build's agent socket, not HTTPS.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { agentRequest } from './agent';
import { envPairs, execForm, parseDockerfile, parseReference, words, DockerfileParseError } from './dockerfile';
import {
  findImage,
  imageFilesDir,
  imageLayerTar,
  normalizeTag,
  rawConfig,
  sha256,
  storeDir,
  storeImage,
  tagImage,
  tagsOf,
  type ImageConfig,
} from './images';

type Out = (s: string) => void;

interface Container {
  name: string;
  image: string;
  command: string[];
  cwd: string;
  env: Record<string, string>;
  publish: { ip: string; hostPort: number; containerPort: number }[];
  log: string;
  pid?: number;
  running: boolean;
  exitCode?: number;
}

const containerFile = (name: string): string => join(storeDir(), 'containers', `${name}.json`);
const readContainer = (name: string): Container | undefined =>
  existsSync(containerFile(name)) ? (JSON.parse(readFileSync(containerFile(name), 'utf8')) as Container) : undefined;
const writeContainer = (c: Container): void => {
  mkdirSync(dirname(containerFile(c.name)), { recursive: true });
  writeFileSync(containerFile(c.name), JSON.stringify(c, null, 2));
};

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function build(args: string[], out: Out, err: Out): number {
  let file: string | undefined;
  const tagsToApply: string[] = [];
  let context: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--file' || a === '-f') file = args[++i];
    else if (a === '--tag' || a === '-t') tagsToApply.push(args[++i] ?? '');
    else if (a === '--pull' || a === '--no-cache' || a === '-q' || a === '--quiet') continue;
    else if (a.startsWith('--')) {
      if (!a.includes('=')) i++;
    } else context = a;
  }
  if (!context) {
    err('ERROR: "docker buildx build" requires exactly 1 argument.\n');
    return 1;
  }
  const dockerfilePath = resolve(context, file ?? 'Dockerfile');
  if (!existsSync(context)) {
    err(`ERROR: unable to prepare context: path "${context}" not found\n`);
    return 1;
  }
  out('#0 building with "default" instance using docker driver\n\n');
  if (!existsSync(dockerfilePath)) {
    err(`ERROR: failed to solve: failed to read dockerfile: open ${file ?? 'Dockerfile'}: no such file or directory\n`);
    return 1;
  }
  const text = readFileSync(dockerfilePath, 'utf8');
  out(
    `#1 [internal] load build definition from ${file ?? 'Dockerfile'}\n#1 transferring dockerfile: ${text.length}B done\n#1 DONE 0.0s\n\n`,
  );
  let instructions;
  try {
    instructions = parseDockerfile(text);
  } catch (error) {
    if (!(error instanceof DockerfileParseError)) throw error;
    err(`ERROR: failed to solve: dockerfile parse error on line ${error.line}: ${error.message}\n`);
    return 1;
  }
  const staging = mkdtempSync(join(process.env.TMPDIR ?? storeDir(), 'docker-build-'));
  const files = join(staging, 'files');
  mkdirSync(files);
  const config: Omit<ImageConfig, 'rootfs'> = {
    architecture: 'amd64',
    os: 'linux',
    created: new Date(0).toISOString(),
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], WorkingDir: '/' },
    history: [],
  };
  let step = 2;
  try {
    for (const ins of instructions) {
      const a = ins.args;
      config.history.push({
        created_by: `${ins.keyword} ${a}`,
        ...(['COPY', 'ADD', 'RUN'].includes(ins.keyword) ? {} : { empty_layer: true }),
      });
      switch (ins.keyword) {
        case 'FROM': {
          const [ref = ''] = words(a.replace(/--platform=\S+\s*/, ''));
          const parsed = parseReference(ref);
          out(
            `#${step} [internal] load metadata for ${parsed.name.includes('/') ? parsed.name : `docker.io/library/${parsed.name}`}:${parsed.tag ?? 'latest'}\n#${step} DONE 0.1s\n\n`,
          );
          step++;
          break;
        }
        case 'WORKDIR':
          config.config.WorkingDir = resolve(config.config.WorkingDir, a.replace(/^["']|["']$/g, ''));
          // WORKDIR creates the directory, as docker does.
          mkdirSync(join(files, config.config.WorkingDir), { recursive: true });
          break;
        case 'ENV':
          for (const [k, v] of envPairs(a)) {
            config.config.Env = config.config.Env.filter((e) => !e.startsWith(`${k}=`));
            config.config.Env.push(`${k}=${v}`);
          }
          break;
        case 'EXPOSE':
          for (const p of words(a)) (config.config.ExposedPorts ??= {})[p.includes('/') ? p : `${p}/tcp`] = {};
          break;
        case 'USER':
          config.config.User = a;
          break;
        case 'CMD':
          config.config.Cmd = execForm(a) ?? ['/bin/sh', '-c', a];
          break;
        case 'ENTRYPOINT':
          config.config.Entrypoint = execForm(a) ?? ['/bin/sh', '-c', a];
          break;
        case 'LABEL':
          for (const [k, v] of envPairs(a)) (config.config.Labels ??= {})[k] = v;
          break;
        case 'COPY':
        case 'ADD': {
          const parts = execForm(a) ?? words(a).filter((w) => !w.startsWith('--'));
          if (words(a).some((w) => w.startsWith('--from=')))
            throw new BuildError(
              `the sandbox docker stand-in does not support multi-stage COPY --from (line ${ins.line})`,
            );
          const dest = parts[parts.length - 1] ?? '.';
          const target = join(files, resolve(config.config.WorkingDir, dest));
          out(`#${step} [${step - 1}/${instructions.length}] ${ins.keyword} ${a}\n`);
          for (const src of parts.slice(0, -1)) {
            if (/^https?:\/\//.test(src)) throw new BuildError(`failed to load ${src}: the sandbox has no network`);
            const base = resolve(context);
            const from = resolve(base, src);
            if (!(from === base || from.startsWith(`${base}/`)) || !existsSync(from))
              throw new BuildError(
                `failed to compute cache key: failed to calculate checksum of ref: "/${src.replace(/^\.?\//, '')}": not found`,
              );
            // Like BuildKit: a destination that ends in `/` or already is a directory (`.`, the
            // WORKDIR) receives the file under its own name.
            const intoDir =
              dest.endsWith('/') ||
              /(^|\/)\.\.?$/.test(dest) ||
              parts.length > 2 ||
              statSync(from).isDirectory() ||
              (existsSync(target) && statSync(target).isDirectory());
            const to = intoDir && !statSync(from).isDirectory() ? join(target, src.split('/').pop() ?? src) : target;
            mkdirSync(dirname(to), { recursive: true });
            cpSync(from, to, { recursive: true });
          }
          out(`#${step} DONE 0.0s\n\n`);
          step++;
          break;
        }
        case 'RUN':
          out(`#${step} [${step - 1}/${instructions.length}] RUN ${a}\n#${step} DONE 0.1s\n\n`);
          step++;
          break;
      }
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!(error instanceof BuildError)) throw error;
    err(`ERROR: failed to solve: ${error.message}\n`);
    return 1;
  }
  const image = storeImage(config, files, join(staging, 'layer.tar'));
  rmSync(staging, { recursive: true, force: true });
  out(`#${step} exporting to image\n#${step} exporting layers done\n#${step} writing image ${image.id} done\n`);
  for (const t of tagsToApply) {
    tagImage(image.id, t);
    out(`#${step} naming to docker.io/library/${normalizeTag(t)} done\n`);
  }
  out(`#${step} DONE 0.1s\n`);
  return 0;
}

class BuildError extends Error {}

function save(args: string[], err: Out): number {
  let output: string | undefined;
  const refs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--output' || args[i] === '-o') output = args[++i];
    else refs.push(args[i]);
  }
  if (!output) {
    err('cowardly refusing to save to a terminal. Use the -o flag or redirect\n');
    return 1;
  }
  const staging = mkdtempSync(join(process.env.TMPDIR ?? storeDir(), 'docker-save-'));
  const manifest: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
  for (const ref of refs) {
    const image = findImage(ref);
    if (!image) {
      rmSync(staging, { recursive: true, force: true });
      err(`Error response from daemon: reference does not exist\n`);
      return 1;
    }
    const hex = image.id.replace('sha256:', '');
    const layerHex = image.config.rootfs.diff_ids[0].replace('sha256:', '');
    mkdirSync(join(staging, layerHex), { recursive: true });
    cpSync(imageLayerTar(image.id), join(staging, layerHex, 'layer.tar'));
    writeFileSync(join(staging, `${hex}.json`), rawConfig(image.id));
    manifest.push({ Config: `${hex}.json`, RepoTags: [normalizeTag(ref)], Layers: [`${layerHex}/layer.tar`] });
  }
  writeFileSync(join(staging, 'manifest.json'), JSON.stringify(manifest));
  execFileSync('tar', ['--sort=name', '--mtime=@0', '-C', staging, '-cf', resolve(output), '.'], { stdio: 'ignore' });
  rmSync(staging, { recursive: true, force: true });
  return 0;
}

function load(args: string[], out: Out, err: Out): number {
  let input: string | undefined;
  for (let i = 0; i < args.length; i++) if (args[i] === '--input' || args[i] === '-i') input = args[++i];
  if (!input || !existsSync(input)) {
    err(`open ${input ?? ''}: no such file or directory\n`);
    return 1;
  }
  const staging = mkdtempSync(join(process.env.TMPDIR ?? storeDir(), 'docker-load-'));
  try {
    execFileSync('tar', ['-C', staging, '-xf', input], { stdio: 'ignore' });
    const manifest = JSON.parse(readFileSync(join(staging, 'manifest.json'), 'utf8')) as {
      Config: string;
      RepoTags?: string[];
      Layers: string[];
    }[];
    for (const entry of manifest) {
      const config = JSON.parse(readFileSync(join(staging, entry.Config), 'utf8')) as ImageConfig;
      const files = join(staging, 'files');
      mkdirSync(files, { recursive: true });
      for (const layer of entry.Layers)
        execFileSync('tar', ['-C', files, '-xf', join(staging, layer)], { stdio: 'ignore' });
      const { rootfs: _rootfs, ...rest } = config;
      const image = storeImage(rest, files, join(staging, 'layer.tar'));
      for (const tag of entry.RepoTags ?? []) {
        tagImage(image.id, tag);
        out(`Loaded image: ${tag}\n`);
      }
      rmSync(files, { recursive: true, force: true });
    }
  } catch {
    err('Error response from daemon: open /var/lib/docker/tmp/docker-import/repositories: no such file or directory\n');
    return 1;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return 0;
}

function dockerConfigPath(): string {
  return join(process.env.HOME ?? '.', '.docker', 'config.json');
}

async function login(args: string[], out: Out, err: Out, stdin: () => Promise<string>): Promise<number> {
  let username: string | undefined;
  let password: string | undefined;
  let registry: string | undefined;
  let fromStdin = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--username' || a === '-u') username = args[++i];
    else if (a === '--password' || a === '-p') password = args[++i];
    else if (a === '--password-stdin') fromStdin = true;
    else registry = a;
  }
  if (fromStdin) password = (await stdin()).replace(/\r?\n$/, '');
  if (!registry || !username || !password) {
    err('Error: Cannot perform an interactive login from a non TTY device\n');
    return 1;
  }
  const answer = await agentRequest('/registry/login', { registry, username, password });
  if (!answer.ok) {
    err(`Error response from daemon: ${answer.message}\n`);
    return 1;
  }
  const configPath = dockerConfigPath();
  const config = existsSync(configPath)
    ? (JSON.parse(readFileSync(configPath, 'utf8')) as { auths?: Record<string, { auth: string }> })
    : {};
  (config.auths ??= {})[registry] = { auth: Buffer.from(`${username}:${password}`).toString('base64') };
  mkdirSync(dirname(configPath), { recursive: true });
  writeFileSync(configPath, JSON.stringify(config, null, '\t'));
  err(
    `WARNING! Your password will be stored unencrypted in ${configPath}.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/engine/reference/commandline/login/#credential-stores\n\n`,
  );
  out('Login Succeeded\n');
  return 0;
}

async function push(args: string[], out: Out, err: Out): Promise<number> {
  const ref = args.find((a) => !a.startsWith('-'));
  if (!ref) {
    err('"docker push" requires exactly 1 argument.\n');
    return 1;
  }
  const image = findImage(ref);
  const { name, tag = 'latest' } = parseReference(ref);
  const registry = name.includes('/') && /[.:]/.test(name.split('/')[0]) ? name.split('/')[0] : 'docker.io';
  const repository = registry === 'docker.io' ? name : name.slice(registry.length + 1);
  out(
    `The push refers to repository [${registry === 'docker.io' ? `docker.io/${name.includes('/') ? name : `library/${name}`}` : name}]\n`,
  );
  if (!image) {
    err(`An image does not exist locally with the tag: ${name}\n`);
    return 1;
  }
  const configPath = dockerConfigPath();
  const auth = existsSync(configPath)
    ? (JSON.parse(readFileSync(configPath, 'utf8')) as { auths?: Record<string, { auth?: string }> }).auths?.[registry]
        ?.auth
    : undefined;
  const configJson = rawConfig(image.id);
  const layer = imageLayerTar(image.id);
  const layerDigest = `sha256:${createHash('sha256').update(readFileSync(layer)).digest('hex')}`;
  const manifest = JSON.stringify(
    {
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        size: configJson.length,
        digest: image.id,
      },
      layers: [
        { mediaType: 'application/vnd.docker.image.rootfs.diff.tar', size: statSync(layer).size, digest: layerDigest },
      ],
    },
    null,
    3,
  );
  const answer = await agentRequest('/registry/push', {
    registry,
    repository,
    tag,
    auth: auth ?? null,
    manifest,
    layerDigest,
    size: statSync(layer).size + configJson.length,
  });
  if (!answer.ok) {
    err(`${answer.message}\n`);
    return 1;
  }
  out(`${layerDigest.slice(7, 19)}: ${answer.layerExisted ? 'Layer already exists' : 'Pushed'}\n`);
  out(`${tag}: digest: sha256:${sha256(manifest)} size: ${manifest.length}\n`);
  return 0;
}

/** Whether something accepts connections on 127.0.0.1:port (in the build's network namespace). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolveAnswer(true);
    });
    socket.once('error', () => resolveAnswer(false));
  });
}

/** Whether the host port is free, as docker finds out when it binds it for --publish. */
function portFree(ip: string, port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(port, ip === '0.0.0.0' ? undefined : ip, () => probe.close(() => resolveFree(true)));
  });
}

async function run(args: string[], out: Out, err: Out, self: readonly string[]): Promise<number> {
  let detach = false;
  let name: string | undefined;
  const env: Record<string, string> = {};
  const publish: Container['publish'] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--detach' || a === '-d') detach = true;
    else if (a === '--rm' || a === '-i' || a === '-t' || a === '-it') continue;
    else if (a === '--name') name = args[++i];
    else if (a === '--env' || a === '-e') {
      const v = args[++i] ?? '';
      const eq = v.indexOf('=');
      if (eq < 0) env[v] = process.env[v] ?? '';
      else env[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (a === '--publish' || a === '-p') {
      const parts = (args[++i] ?? '').split(':');
      const containerPort = Number(parts.pop()?.replace(/\/tcp$/, ''));
      const hostPort = Number(parts.pop() ?? containerPort);
      publish.push({ ip: parts.pop() ?? '0.0.0.0', hostPort, containerPort });
    } else if (a.startsWith('-')) {
      err(`unknown flag: ${a}\nSee 'docker run --help'.\n`);
      return 125;
    } else break;
  }
  const ref = args[i];
  const image = ref ? findImage(ref) : undefined;
  if (!ref || !image) {
    err(
      `Unable to find image '${ref ?? ''}' locally\ndocker: Error response from daemon: pull access denied for ${ref ?? ''}, repository does not exist or may require 'docker login'.\nSee 'docker run --help'.\n`,
    );
    return 125;
  }
  const cmdOverride = args.slice(i + 1);
  const command = [
    ...(image.config.config.Entrypoint ?? []),
    ...(cmdOverride.length > 0 ? cmdOverride : (image.config.config.Cmd ?? [])),
  ];
  const containerName = name ?? `sandbox_${sha256(String(Date.now())).slice(0, 8)}`;
  const id = sha256(`${containerName}${Date.now()}`);
  if (readContainer(containerName)?.running && alive(readContainer(containerName)?.pid)) {
    err(
      `docker: Error response from daemon: Conflict. The container name "/${containerName}" is already in use.\nSee 'docker run --help'.\n`,
    );
    return 125;
  }
  for (const p of publish) {
    if (!(await portFree(p.ip, p.hostPort))) {
      err(
        `docker: Error response from daemon: driver failed programming external connectivity on endpoint ${containerName} (${id}): Bind for ${p.ip}:${p.hostPort} failed: port is already allocated.\n`,
      );
      return 125;
    }
  }
  const rootfs = join(storeDir(), 'containers', containerName, 'rootfs');
  rmSync(rootfs, { recursive: true, force: true });
  mkdirSync(rootfs, { recursive: true });
  cpSync(imageFilesDir(image.id), rootfs, { recursive: true });
  // No chroot: an absolute path the image's files hold (`CMD ["node", "/app/server.js"]`) is
  // given as the copy's path; programs the image does not hold (node, /bin/sh) are the machine's.
  const inContainer = command.map((a) => (a.startsWith('/') && existsSync(join(rootfs, a)) ? join(rootfs, a) : a));
  const imageEnv = Object.fromEntries(
    image.config.config.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
  const container: Container = {
    name: containerName,
    image: ref,
    command: inContainer,
    cwd: join(rootfs, image.config.config.WorkingDir),
    env: { ...imageEnv, PATH: process.env.PATH ?? imageEnv.PATH ?? '/usr/bin:/bin', HOME: rootfs, ...env },
    publish,
    log: join(storeDir(), 'containers', containerName, 'log'),
    running: true,
  };
  mkdirSync(container.cwd, { recursive: true });
  writeContainer(container);
  const logFd = openSync(container.log, 'a');
  // The container's process outlives this command, as a container outlives `docker run --detach`.
  // Published ports that differ from the container's need a forwarder: the supervisor (this
  // script again) runs the process and forwards them. Otherwise the process is started directly.
  const forward = publish.some((p) => p.hostPort !== p.containerPort);
  const [program = '', ...rest] = forward ? [self[0], ...self.slice(1), '__supervise', containerName] : inContainer;
  const child = spawn(program, rest, {
    cwd: forward ? process.cwd() : container.cwd,
    env: forward ? process.env : container.env,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const started = await new Promise<boolean>((resolveStart) => {
    child.once('spawn', () => resolveStart(true));
    child.once('error', () => resolveStart(false));
  });
  if (!started) {
    writeContainer({ ...container, running: false, exitCode: 127 });
    err(
      `docker: Error response from daemon: failed to create task for container: exec: "${program}": executable file not found in $PATH: unknown.\n`,
    );
    return 127;
  }
  if (!forward) writeContainer({ ...container, pid: child.pid });
  let exited = false;
  child.once('exit', () => (exited = true));
  // Unlike docker, `run` returns once the container's ports answer (or it exits, or 10 s pass):
  // the stand-in starts a process, not a VM-backed container, so a smoke test that calls at once
  // finds it listening instead of waiting a retry interval.
  const deadline = Date.now() + 10_000;
  for (const p of publish) {
    while (!exited && Date.now() < deadline && !(await answers(p.containerPort)))
      await new Promise((r) => setTimeout(r, 20));
  }
  child.unref();
  if (detach) out(`${id}\n`);
  return 0;
}

/** Runs a container's process (the `docker run` supervisor), forwarding published ports when needed. */
export function supervise(name: string): Promise<number> {
  const container = readContainer(name);
  if (!container) return Promise.resolve(1);
  return new Promise((resolveExit) => {
    const [program, ...rest] = container.command;
    if (!program) {
      writeContainer({ ...container, running: false, exitCode: 127 });
      resolveExit(127);
      return;
    }
    const proc = spawn(program, rest, { cwd: container.cwd, env: container.env, stdio: 'inherit' });
    const servers = container.publish
      .filter((p) => p.hostPort !== p.containerPort)
      .map((p) =>
        createServer((socket) => {
          const upstream = createConnection(p.containerPort, '127.0.0.1');
          socket.pipe(upstream).pipe(socket);
          const close = (): void => {
            socket.destroy();
            upstream.destroy();
          };
          socket.on('error', close);
          upstream.on('error', close);
        }).listen(p.hostPort, p.ip === '0.0.0.0' ? '127.0.0.1' : p.ip),
      );
    writeContainer({ ...container, pid: proc.pid, running: true });
    const finish = (code: number): void => {
      for (const s of servers) s.close();
      const latest = readContainer(name);
      if (latest) writeContainer({ ...latest, running: false, exitCode: code });
      resolveExit(code);
    };
    proc.on('error', (error) => {
      process.stderr.write(
        `docker: Error response from daemon: failed to create task for container: exec: "${program}": executable file not found in $PATH: unknown. (${error.message})\n`,
      );
      finish(127);
    });
    proc.on('exit', (code, signal) => finish(code ?? (signal ? 137 : 0)));
  });
}

function inspect(args: string[], out: Out, err: Out): number {
  let format: string | undefined;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--format' || args[i] === '-f') format = args[++i];
    else names.push(args[i]);
  }
  for (const n of names) {
    const c = readContainer(n);
    const image = c ? undefined : findImage(n);
    if (!c && !image) {
      err(`Error: No such object: ${n}\n`);
      return 1;
    }
    const running = c ? c.running && alive(c.pid) : false;
    if (format?.replace(/\s/g, '') === '{{.State.Running}}') out(`${running}\n`);
    else if (format?.replace(/\s/g, '') === '{{.Id}}') out(`${c ? sha256(c.name) : image?.id}\n`);
    else if (format !== undefined) {
      err(`template: the sandbox docker stand-in formats {{.State.Running}} and {{.Id}} only\n`);
      return 1;
    } else
      out(
        `${JSON.stringify(
          [
            c
              ? { Name: `/${c.name}`, State: { Running: running, ExitCode: c.exitCode ?? 0 } }
              : { Id: image?.id, RepoTags: image ? tagsOf(image.id) : [] },
          ],
          null,
          4,
        )}\n`,
      );
  }
  return 0;
}

function logs(args: string[], out: Out, err: Out): number {
  let tail = Infinity;
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--tail' || args[i] === '-n') tail = args[++i] === 'all' ? Infinity : Number(args[i]);
    else name = args[i];
  }
  const c = name ? readContainer(name) : undefined;
  if (!c) {
    err(`Error response from daemon: No such container: ${name ?? ''}\n`);
    return 1;
  }
  const lines = existsSync(c.log) ? readFileSync(c.log, 'utf8').split('\n') : [];
  if (lines[lines.length - 1] === '') lines.pop();
  for (const l of Number.isFinite(tail) ? lines.slice(-tail) : lines) out(`${l}\n`);
  return 0;
}

function remove(args: string[], out: Out, err: Out): number {
  const force = args.includes('--force') || args.includes('-f');
  let status = 0;
  for (const name of args.filter((a) => !a.startsWith('-'))) {
    const c = readContainer(name);
    if (!c) {
      err(`Error response from daemon: No such container: ${name}\n`);
      status = 1;
      continue;
    }
    if (c.running && alive(c.pid)) {
      if (!force) {
        err(
          `Error response from daemon: cannot remove container "/${name}": container is running: stop the container before removing or force remove\n`,
        );
        status = 1;
        continue;
      }
      process.kill(c.pid ?? 0, 'SIGKILL');
    }
    rmSync(dirname(c.log), { recursive: true, force: true });
    rmSync(containerFile(name), { force: true });
    out(`${name}\n`);
  }
  return status;
}

export async function main(
  argv: readonly string[],
  out: Out,
  err: Out,
  stdin: () => Promise<string>,
  self: readonly string[],
): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case '--version':
    case 'version':
      out('Docker version 26.1.4, build 5650f9b (sandbox stand-in)\n');
      return 0;
    case 'build':
      return build(args, out, err);
    case 'buildx':
      return args[0] === 'build' ? build(args.slice(1), out, err) : 1;
    case 'tag': {
      const image = args[0] ? findImage(args[0]) : undefined;
      if (!image || !args[1]) {
        err(`Error response from daemon: No such image: ${args[0] ?? ''}\n`);
        return 1;
      }
      tagImage(image.id, args[1]);
      return 0;
    }
    case 'images':
      out('REPOSITORY   TAG   IMAGE ID\n');
      return 0;
    case 'save':
      return save(args, err);
    case 'load':
      return load(args, out, err);
    case 'login':
      return login(args, out, err, stdin);
    case 'push':
      return push(args, out, err);
    case 'run':
      return run(args, out, err, self);
    case 'inspect':
      return inspect(args, out, err);
    case 'logs':
      return logs(args, out, err);
    case 'rm':
      return remove(args, out, err);
    case '__supervise':
      return supervise(args[0] ?? '');
    default:
      err(`docker: '${command ?? ''}' is not a docker command.\nSee 'docker --help'\n`);
      return 1;
  }
}
