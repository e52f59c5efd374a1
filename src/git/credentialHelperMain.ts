// The program git runs as its credential helper (bundled to dist/git-credential-codecommit.js):
// `git -c credential.helper='!node …/git-credential-codecommit.js' …`, see gitEnvironment.ts.
// It starts for every git HTTP operation, so it loads only the SDK's credential chain and the
// shared-config reader, and writes to stdout exactly once.
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { boundedCredentials } from '../aws/credentialSource';
import { CALL_POLICY } from '../shared/callPolicy';
import { answerCredentialHelper, HELPER_MESSAGE_PREFIX } from './credentialHelper';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += (chunk as Buffer).toString('utf8');
    // git ends its request with a blank line; it also closes the pipe, but do not depend on it.
    if (text.startsWith('\n') || text.includes('\n\n')) break;
  }
  return text;
}

async function main(): Promise<{ stdout: string; stderr: string }> {
  const action = process.argv[2];
  // store and erase are no-ops (nothing is ever stored); their input is not even read.
  const input = action === 'get' ? await readStdin() : '';
  // git waits on the helper with no way to cancel: a hanging credential source is given up on, and
  // the SDK's multi-line warnings become one line of ours.
  const notices: string[] = [];
  const output = await answerCredentialHelper(action, input, {
    env: process.env,
    now: () => new Date(),
    sharedConfig: () => loadSharedConfigFiles(),
    credentials: (profile) =>
      boundedCredentials(fromNodeProviderChain, {
        profile,
        timeoutMs: CALL_POLICY.helperCredentialTimeoutMs,
        onNotice: (line) => notices.push(line),
      })(),
  });
  return {
    stdout: output.stdout,
    stderr: notices.map((l) => `${HELPER_MESSAGE_PREFIX}${l}\n`).join('') + output.stderr,
  };
}

/** Exits once both streams are flushed (pipes are asynchronous on Windows), always with 0 as git expects. */
function finish(stdout: string, stderr: string): void {
  process.stderr.write(stderr, () => process.stdout.write(stdout, () => process.exit(0)));
}

main().then(
  (output) => finish(output.stdout, output.stderr),
  // Unexpected failure: no stack trace (it could carry request data), and no answer for git.
  () => finish('', `${HELPER_MESSAGE_PREFIX}internal error; no credentials were given to git.\n`),
);
