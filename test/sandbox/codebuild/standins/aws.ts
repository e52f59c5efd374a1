// Stand-in for the AWS CLI v2 inside builds: only `aws ecr get-login-password [--region R]`, which
// prints the registry password the sandbox's ECR accepts (as the real command prints the password
// half of GetAuthorizationToken). Anything else is refused with the CLI's own usage error (exit 252).
import { agentRequest } from './agent';

const USAGE =
  'usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\nTo see help text, you can run:\n\n  aws help\n  aws <command> help\n  aws <command> <subcommand> help\n\n';

export async function main(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  const args = [...argv];
  let region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const r = args.indexOf('--region');
  if (r >= 0) {
    region = args[r + 1];
    args.splice(r, 2);
  }
  if (args[0] === '--version') {
    out('aws-cli/2.15.0 Python/3.11.6 Linux/x86_64 exe/x86_64 (sandbox stand-in)\n');
    return 0;
  }
  if (args[0] !== 'ecr') {
    err(`${USAGE}aws: error: argument command: Invalid choice, valid choices are:\n\necr\n`);
    return 252;
  }
  if (args[1] !== 'get-login-password') {
    err(`${USAGE}aws: error: argument operation: Invalid choice, valid choices are:\n\nget-login-password\n`);
    return 252;
  }
  if (!region) {
    err('\nYou must specify a region. You can also configure your region by running "aws configure".\n');
    return 253;
  }
  const answer = await agentRequest('/ecr/login-password', { region });
  if (!answer.ok) {
    err(
      `\nAn error occurred (AccessDeniedException) when calling the GetAuthorizationToken operation: ${answer.message}\n`,
    );
    return 254;
  }
  out(`${String(answer.password)}\n`);
  return 0;
}
