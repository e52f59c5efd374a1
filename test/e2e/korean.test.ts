// The extension in Korean, as the workshop's own language: code-server started with `--locale ko`
// shows the palette's command titles, the views' welcome content and the notifications from the
// extension's Korean bundles, while AWS's names (regions, accounts, services) stay as AWS writes them.
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startSandbox } from '../sandbox/core/server';
import { services } from '../sandbox/services';
import { useEditor } from './harness/fixture';
import { pick, runCommand, screenshot, viewPane } from './harness/workbench';

describe('Workshop Pipeline in Korean (code-server --locale ko)', () => {
  const fx = useEditor('korean', async ({ tempDir, onClose }) => {
    const sandbox = await startSandbox({ port: 0, speed: 60, services });
    onClose(() => sandbox.close());
    const home = tempDir('wp-e2e-korean-');
    return {
      workspace: home,
      // A region that does not exist: the first thing the user reads is a notification.
      settings: { 'workshopPipeline.endpointUrl': sandbox.endpoint, 'workshopPipeline.region': 'us-east-9' },
      env: {
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_CONFIG_FILE: join(home, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
      },
      locale: 'ko',
      openContainer: true,
    };
  });

  it(
    'explains a setting in Korean, fixes it from a Korean palette title, and shows the Korean welcome content',
    fx.evidence('korean', async () => {
      const page = fx.page;
      const toast = page
        .locator('.notifications-toasts .notification-toast', {
          hasText: '"us-east-9"은(는) 이 확장이 알고 있는 AWS 리전이 아닙니다',
        })
        .first();
      await toast.waitFor({ timeout: 60_000 });
      // The palette finds the command by its Korean title; its category stays the product's name.
      await runCommand(page, 'Workshop Pipeline: 리전 선택');
      await pick(page, 'us-east-1');
      const pipeline = viewPane(page, '파이프라인');
      await pipeline.getByText('이 계정과 리전에 아직 배포된 파이프라인이 없습니다.').waitFor({ timeout: 60_000 });
      await pipeline.getByRole('button', { name: 'Workshop Pipeline 배포' }).waitFor();
      // AWS's own words are not translated.
      await pipeline.locator('.pane-header').getByText('000000000000 · us-east-1').waitFor();
      await viewPane(page, '서비스 상태').waitFor();
      await screenshot(page, 'korean-1-welcome');
    }),
  );
});
