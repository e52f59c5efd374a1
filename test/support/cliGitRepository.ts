// A real git repository behind the push flow's PushRepository: what VS Code's git extension does,
// done with the git CLI (`git status --porcelain=v2`, add, commit, push), so the flow is tested
// against real commits, remotes and rejections rather than a scripted stand-in. Like the git
// extension's repository, every operation refreshes `state` when it is done.
import { join } from 'node:path';
import { runGit } from '../../src/git/gitCli';
import type { PushRepository } from '../../src/git/pushFlow';

type State = PushRepository['state'];
type Change = State['indexChanges'][number];

/** git errors carry git's own output as `stderr`, as the git extension's errors do. */
export class CliGitRepository implements PushRepository {
  readonly rootUri: { readonly fsPath: string };
  readonly inputBox = { value: '' };
  state: State = { HEAD: undefined, remotes: [], indexChanges: [], workingTreeChanges: [], mergeChanges: [] };

  constructor(
    root: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.rootUri = { fsPath: root };
  }

  git(args: string[]): Promise<string> {
    return runGit(args, this.rootUri.fsPath, this.env).then((r) => r.stdout.trim());
  }

  async status(): Promise<void> {
    const out = await this.git(['status', '--porcelain=v2', '--branch', '--untracked-files=all']);
    const index: Change[] = [];
    const workingTree: Change[] = [];
    const merge: Change[] = [];
    const untracked: Change[] = [];
    let commit: string | undefined;
    let name: string | undefined;
    let upstream: { remote: string; name: string } | undefined;
    let ahead: number | undefined;
    const change = (path: string): Change => ({ uri: { fsPath: join(this.rootUri.fsPath, path) } });
    for (const line of out.split('\n').filter(Boolean)) {
      const fields = line.split(' ');
      if (line.startsWith('# branch.oid ')) {
        commit = fields[2] === '(initial)' ? undefined : fields[2];
      } else if (line.startsWith('# branch.head ')) {
        name = fields[2] === '(detached)' ? undefined : fields[2];
      } else if (line.startsWith('# branch.upstream ')) {
        const [remote = '', ...branch] = (fields[2] ?? '').split('/');
        upstream = { remote, name: branch.join('/') };
      } else if (line.startsWith('# branch.ab ')) {
        ahead = Number(fields[2]);
      } else if (line.startsWith('1 ') || line.startsWith('2 ')) {
        const [xy = '..'] = fields.slice(1, 2);
        const path = line.startsWith('1 ') ? fields.slice(8).join(' ') : fields.slice(9).join(' ').split('\t')[0];
        if (xy[0] !== '.') index.push(change(path));
        if (xy[1] !== '.') workingTree.push(change(path));
      } else if (line.startsWith('u ')) {
        merge.push(change(fields.slice(10).join(' ')));
      } else if (line.startsWith('? ')) {
        untracked.push(change(line.slice(2)));
      }
    }
    const remotes = new Map<string, { name: string; fetchUrl?: string; pushUrl?: string }>();
    for (const line of (await this.git(['remote', '-v'])).split('\n').filter(Boolean)) {
      const [remote = '', url = '', kind = ''] = line.split(/\s+/);
      const entry = remotes.get(remote) ?? { name: remote };
      remotes.set(remote, kind === '(push)' ? { ...entry, pushUrl: url } : { ...entry, fetchUrl: url });
    }
    this.state = {
      HEAD: { name, commit, upstream, ahead },
      remotes: [...remotes.values()],
      indexChanges: index,
      workingTreeChanges: workingTree,
      mergeChanges: merge,
      untrackedChanges: untracked,
    };
  }

  async add(paths: string[]): Promise<void> {
    await this.git(['add', '--', ...paths]);
    await this.status();
  }

  async commit(message: string): Promise<void> {
    await this.git(['commit', '-q', '-m', message]);
    await this.status();
  }

  async addRemote(name: string, url: string): Promise<void> {
    await this.git(['remote', 'add', name, url]);
    await this.status();
  }

  async push(remote?: string, refspec?: string, setUpstream?: boolean): Promise<void> {
    await this.git([
      'push',
      ...(setUpstream ? ['-u'] : []),
      ...(remote ? [remote] : []),
      ...(refspec ? [refspec] : []),
    ]);
    await this.status();
  }

  async checkout(treeish: string): Promise<void> {
    await this.git(['checkout', '-q', treeish]);
    await this.status();
  }
}
