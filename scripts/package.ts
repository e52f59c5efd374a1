// `npm run package` (after the production build): dist-vsix/workshop-pipeline.vsix.
import { packageVsix } from './vsix';

packageVsix().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
