// Entry point of the stand-in tools, bundled into one script that each tool's shim runs as
// `node standins.mjs <tool> ARGS…` (see bundle.ts).
import * as aws from './aws';
import * as docker from './docker';
import * as gitleaks from './gitleaks';
import * as hadolint from './hadolint';
import * as trivy from './trivy';

const out = (s: string): void => void process.stdout.write(s);
const err = (s: string): void => void process.stderr.write(s);
const stdin = (): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (c: string) => (text += c));
    process.stdin.on('end', () => resolve(text));
  });

async function main(): Promise<number> {
  const [tool, ...argv] = process.argv.slice(2);
  switch (tool) {
    case 'docker':
      return docker.main(argv, out, err, stdin, [process.execPath, process.argv[1], 'docker']);
    case 'gitleaks':
      return gitleaks.main(argv, out, err);
    case 'hadolint':
      return hadolint.main(argv, out, err);
    case 'trivy':
      return trivy.main(argv, out, err);
    case 'aws':
      return aws.main(argv, out, err);
    default:
      err(`unknown stand-in ${tool ?? ''}\n`);
      return 127;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
