// The Build project's secrets scan, run for real over the pushed commit's tree in the sandbox's
// bare repository: AWS access key ids that come with a secret access key, and private keys.
// Findings name the file and line only; the secret itself is never logged.
import { git } from '../codecommit/repositories';

export interface Finding {
  readonly rule: 'aws-access-key-id' | 'private-key';
  readonly file: string;
  readonly line: number;
}

const ACCESS_KEY_ID = 'AKIA[0-9A-Z]{16}';
const PRIVATE_KEY = '-----BEGIN[ A-Z0-9]*PRIVATE KEY-----';
/** A secret access key: 40 base64 characters, not all hex (commit ids are hex), standing alone. */
const SECRET = /(?:^|[^A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g;

export async function scanCommit(gitDir: string, commitId: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const { file, line } of await grep(gitDir, commitId, PRIVATE_KEY))
    findings.push({ rule: 'private-key', file, line });
  const keyHits = await grep(gitDir, commitId, ACCESS_KEY_ID);
  const withSecret = new Map<string, boolean>();
  for (const hit of keyHits) {
    if (!withSecret.has(hit.file)) withSecret.set(hit.file, hasSecret(await show(gitDir, commitId, hit.file)));
    if (withSecret.get(hit.file)) findings.push({ rule: 'aws-access-key-id', file: hit.file, line: hit.line });
  }
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

function hasSecret(content: string): boolean {
  for (const match of content.matchAll(SECRET)) {
    const candidate = match[1];
    if (
      !/^[0-9a-f]+$/i.test(candidate) &&
      /[A-Z]/.test(candidate) &&
      /[a-z0-9]/.test(candidate) &&
      !/^AKIA/.test(candidate)
    )
      return true;
  }
  return false;
}

/** `git grep` over the commit's tree (text files only); exit status 1 means no match. */
async function grep(gitDir: string, commitId: string, pattern: string): Promise<{ file: string; line: number }[]> {
  let stdout: string;
  try {
    ({ stdout } = await git(['--git-dir', gitDir, 'grep', '-I', '-n', '-z', '-E', '-e', pattern, commitId, '--']));
  } catch (error) {
    if ((error as { code?: unknown }).code === 1) return [];
    throw error;
  }
  // With -z: `<commit>:<path>\0<line>\0<text>\n`.
  const hits: { file: string; line: number }[] = [];
  for (const record of stdout.split('\n')) {
    const [where, line] = record.split('\0');
    if (!where || line === undefined) continue;
    hits.push({ file: where.slice(commitId.length + 1), line: Number(line) });
  }
  return hits;
}

async function show(gitDir: string, commitId: string, file: string): Promise<string> {
  const { stdout } = await git(['--git-dir', gitDir, 'cat-file', 'blob', `${commitId}:${file}`]);
  return stdout;
}

/** Reads one file of the commit, or undefined when it does not exist. */
export async function readCommitFile(gitDir: string, commitId: string, file: string): Promise<string | undefined> {
  try {
    return await show(gitDir, commitId, file);
  } catch {
    return undefined;
  }
}
