// Nothing writes without trust: every contributed command is registered through one of the two doors
// in src/editor/commandRegistration.ts, and only commands that change nothing in AWS or git may use
// the read door. A new command that registers itself directly, or as a read, fails here.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { localizedManifest } from '../support/localizedManifest';
import { describe, it } from 'node:test';

interface Manifest {
  contributes: { commands: { command: string }[] };
}

/** Commands that only read AWS or change the editor's own state (settings, views, pages). */
const READS = new Set([
  'workshopPipeline.connected',
  'workshopPipeline.refresh',
  'workshopPipeline.selectProfile',
  'workshopPipeline.selectRegion',
  'workshopPipeline.selectPipeline',
  'workshopPipeline.showBuildLogs',
  'workshopPipeline.openInConsole',
  'workshopPipeline.showLog',
  'workshopPipeline.showFindings',
  'workshopPipeline.openInBrowser',
  // Writes only the IAM Identity Center token cache in the user's home, as `aws sso login` does.
  'workshopPipeline.signIn',
]);

const manifest = localizedManifest<Manifest>();
const sources = readdirSync('src', { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: join('src', f), text: readFileSync(join('src', f), 'utf8') }));

/** Which door registers `id`: the wrapper function named at the call that passes the id. */
function doorsOf(id: string): { file: string; door: string }[] {
  const call = new RegExp(`(\\w+)\\(\\s*['"\`]${id.replace('.', '\\.')}['"\`]`, 'g');
  return sources.flatMap(({ file, text }) => [...text.matchAll(call)].map((m) => ({ file, door: m[1] ?? '' })));
}

describe('workspace trust gating', () => {
  it('only commandRegistration.ts calls vscode.commands.registerCommand', () => {
    const direct = sources.filter(({ text }) => /commands\.registerCommand\b/.test(text)).map(({ file }) => file);
    assert.deepEqual(direct, [join('src', 'editor', 'commandRegistration.ts')]);
  });

  for (const { command } of manifest.contributes.commands) {
    it(`${command} is registered once, through the door its kind needs`, () => {
      const doors = doorsOf(command).filter(({ door }) => /^register\w*Command$/.test(door));
      assert.equal(doors.length, 1, `${command}: ${JSON.stringify(doors)}`);
      const expected = READS.has(command)
        ? ['registerReadCommand']
        : ['registerWriteCommand', 'registerGuardedCommand'];
      assert.ok(expected.includes(doors[0]?.door ?? ''), `${command} is registered with ${doors[0]?.door}`);
    });
  }

  it('the guarded door goes through the write door', () => {
    const guarded = readFileSync(join('src', 'editor', 'guardedCommand.ts'), 'utf8');
    assert.match(guarded, /return registerWriteCommand\(id, options\.verb,/);
  });

  it('the write door refuses before running the command when the workspace is untrusted', () => {
    const text = readFileSync(join('src', 'editor', 'commandRegistration.ts'), 'utf8');
    const write = text.slice(text.indexOf('export function registerWriteCommand'));
    const check = write.indexOf('if (!vscode.workspace.isTrusted)');
    const run = write.indexOf('return run(...args)');
    assert.ok(check > 0 && run > check, 'the trust check comes before the handler runs');
  });
});
