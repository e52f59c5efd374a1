// Unambiguous beside the AWS Toolkit: no palette title of ours equals one of the Toolkit's, every
// title but the two workshop commands names Workshop Pipeline, views have icons, and the Pipeline
// view's title bar shows at most three actions in any state (the rest go to its … menu).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { localizedManifest } from '../support/localizedManifest';
import { describe, it } from 'node:test';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    views: Record<string, { id: string; icon?: string }[]>;
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
  };
}

const manifest = localizedManifest<Manifest>();
const toolkit = JSON.parse(readFileSync('test/unit/fixtures/awsToolkit/commandTitles.json', 'utf8')) as {
  category: string;
  titles: string[];
};

const fullTitle = (c: { title: string; category?: string }): string =>
  c.category ? `${c.category}: ${c.title}` : c.title;

describe('command titles beside the AWS Toolkit', () => {
  it("collide with none of the Toolkit's palette titles", () => {
    const theirs = new Set(toolkit.titles.map((title) => `${toolkit.category}: ${title}`.toLowerCase()));
    assert.ok(theirs.size > 100, 'the fixture holds the Toolkit titles');
    for (const command of manifest.contributes.commands)
      assert.ok(!theirs.has(fullTitle(command).toLowerCase()), `${fullTitle(command)} is also an AWS Toolkit command`);
  });

  it('keep the two workshop titles and say Workshop Pipeline everywhere else', () => {
    const titles = manifest.contributes.commands.map(fullTitle);
    assert.ok(titles.includes('AWS: Deploy Workshop Pipeline'));
    assert.ok(titles.includes('AWS: Commit and Push to CodeCommit'));
    for (const title of titles.filter((t) => t.startsWith('AWS: ')))
      assert.match(title, /Workshop Pipeline|CodeCommit/, title);
    for (const command of manifest.contributes.commands.filter((c) => c.category !== 'AWS'))
      assert.equal(command.category, 'Workshop Pipeline', command.command);
  });

  it('give every view an icon', () => {
    for (const view of manifest.contributes.views.workshopPipeline) assert.ok(view.icon, view.id);
  });

  it('show at most three actions in the Pipeline view title bar, whatever the state', () => {
    const inline = manifest.contributes.menus['view/title'].filter((m) => m.group?.startsWith('navigation'));
    // Evaluate each `when` for every combination of the context keys it may use.
    for (const hasPipeline of [false, true])
      for (const connection of ['connecting', 'noCredentials', 'noPipeline', 'ready']) {
        const shown = inline.filter((m) => holds(m.when ?? 'true', { hasPipeline, connection }));
        assert.ok(shown.length <= 3, `${connection}/${String(hasPipeline)}: ${shown.map((m) => m.command).join(', ')}`);
        assert.ok(shown.length > 0);
      }
  });

  it('shows the Source Control push button only for repositories with a CodeCommit remote', () => {
    const scm = manifest.contributes.menus['scm/title'].find((m) => m.command === 'workshopPipeline.commitAndPush');
    assert.equal(scm?.when, 'scmProvider == git && scmProviderRootUri in workshopPipeline.codeCommitRepositories');
  });
});

/** A small evaluator for the `when` clauses the view/title menu uses (==, !, &&, ||). */
function holds(when: string, ctx: { hasPipeline: boolean; connection: string }): boolean {
  return when.split('||').some((alternative) =>
    alternative.split('&&').every((raw) => {
      const term = raw.trim();
      const eq = /^(\S+) == (\S+)$/.exec(term);
      if (eq) {
        if (eq[1] === 'view') return eq[2] === 'workshopPipeline.stages';
        if (eq[1] === 'workshopPipeline.connection') return eq[2] === ctx.connection;
        throw new Error(`unknown key in ${term}`);
      }
      if (term === 'workshopPipeline.hasPipeline') return ctx.hasPipeline;
      if (term === '!workshopPipeline.hasPipeline') return !ctx.hasPipeline;
      if (term === 'true') return true;
      throw new Error(`unknown term ${term}`);
    }),
  );
}

describe('the getting-started walkthrough', () => {
  const walkthroughs = (
    JSON.parse(readFileSync('package.json', 'utf8')) as {
      contributes: {
        walkthroughs: {
          steps: { id: string; description: string; media: { markdown?: string }; completionEvents: string[] }[];
        }[];
      };
    }
  ).contributes.walkthroughs;
  const commands = new Set(manifest.contributes.commands.map((c) => c.command));

  it('goes credentials → deploy → commit and push → watch it run', () => {
    assert.deepEqual(
      walkthroughs[0].steps.map((s) => s.id),
      ['credentials', 'deploy', 'push', 'watch'],
    );
  });

  it('completes every step on an event of this extension, and links only contributed commands and shipped media', () => {
    for (const step of walkthroughs[0].steps) {
      assert.ok(step.completionEvents.length > 0, step.id);
      for (const event of step.completionEvents) {
        const command = /^onCommand:(.+)$/.exec(event)?.[1];
        if (command) assert.ok(commands.has(command), event);
        else assert.match(event, /^(onContext:workshopPipeline\.|onView:workshopPipeline\.)/, event);
      }
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g))
        assert.ok(commands.has(command) || command === 'workshopPipeline.stages.focus', command);
      assert.ok(step.media.markdown && readFileSync(step.media.markdown, 'utf8').startsWith('# '), step.id);
    }
  });
});
