// Type-aware linting for the extension, its tests and the sandbox; zero warnings allowed (`--max-warnings 0`).
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// The folders of src/, lowest layer first, and the folders each may import from (besides itself).
// Data flows up: AWS adapters -> core models -> following -> editor. Because every folder lists only
// folders of lower layers, an import loop between folders cannot be written without editing this
// table, and the check below refuses a table with a loop in it. `vscode` belongs to the editor layer
// (editor, views, commands, extension.ts) alone, so the core and the adapters run without an editor.
const CORE = ['polling', 'deploy', 'git', 'findings', 'pipeline', 'health', 'workshop'];
const LAYERS = {
  shared: [],
  aws: ['shared'],
  polling: ['shared'],
  deploy: ['shared', 'aws'],
  git: ['shared', 'aws'],
  findings: ['shared', 'aws'],
  pipeline: ['shared', 'aws', 'polling', 'findings'],
  health: ['shared', 'aws', 'polling', 'pipeline'],
  workshop: ['shared', 'aws', 'deploy', 'git'],
  following: ['shared', 'aws', ...CORE],
  editor: ['shared', 'aws', ...CORE, 'following'],
  views: ['shared', 'aws', ...CORE, 'following', 'editor'],
  commands: ['shared', 'aws', ...CORE, 'following', 'editor', 'views'],
};
const EDITOR_LAYER = ['editor', 'views', 'commands'];

/** Fails loading the config when the table itself has a loop (a folder reachable from itself). */
function assertNoFolderLoop(layers) {
  const visiting = new Set();
  const done = new Set();
  const visit = (folder, path) => {
    if (done.has(folder)) return;
    if (visiting.has(folder))
      throw new Error(`eslint.config.mjs: folder import loop ${[...path, folder].join(' -> ')}`);
    visiting.add(folder);
    for (const next of layers[folder] ?? []) visit(next, [...path, folder]);
    visiting.delete(folder);
    done.add(folder);
  };
  Object.keys(layers).forEach((folder) => visit(folder, []));
}
assertNoFolderLoop(LAYERS);

const restrictedImports = (names) => [
  ...(names.includes('vscode')
    ? [
        {
          name: 'vscode',
          message:
            'vscode belongs to the editor layer (src/editor, src/views, src/commands, src/extension.ts); the core and the AWS adapters stay testable without it.',
        },
      ]
    : []),
  ...(names.includes('child_process')
    ? ['child_process', 'node:child_process'].map((name) => ({ name, message: 'Spawn processes only from src/git/.' }))
    : []),
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-vsix/**',
      'node_modules/**',
      'coverage/**',
      '.vscode-test/**',
      '.sandbox/**',
      '.build/**',
      'test-results/**',
      'bench/results/**',
      'demo/app/**',
    ],
  }, // demo/app: the sample application users push, not extension code
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's describe/it return promises the runner itself tracks.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Child processes are confined to the git layer, where arguments are always arrays; vscode to the editor layer.
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: restrictedImports(['vscode', 'child_process']) }] },
  },
  {
    files: ['src/git/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: restrictedImports(['vscode']) }] },
  },
  {
    files: ['src/extension.ts', ...EDITOR_LAYER.map((folder) => `src/${folder}/**/*.ts`)],
    rules: { 'no-restricted-imports': ['error', { paths: restrictedImports(['child_process']) }] },
  },
  {
    // The folder graph (LAYERS) and no import cycle between files either.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: Object.entries(LAYERS).map(([folder, allowed]) => ({
            target: `./src/${folder}`,
            from: './src',
            except: [folder, ...allowed].map((f) => `./${f}`),
            message: `src/${folder} may import only from ${allowed.length > 0 ? allowed.map((f) => `src/${f}`).join(', ') : 'itself'} (layers in eslint.config.mjs).`,
          })),
        },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    // CommonJS scripts that run before `npm ci` (the prerequisites step); tsc checks their JSDoc types.
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'commonjs',
      parserOptions: { projectService: false },
      globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
);
