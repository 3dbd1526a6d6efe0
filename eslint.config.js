import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'dist/**', 'dist.building-*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // src/ is the functional core: it never imports a chat SDK or an adapter.
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // Every chat SDK (adapters/platforms.ts lists the platforms) and anything under adapters/, at any depth.
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['@slack/*', '@larksuiteoapi/*', '@wecom/*', 'dingtalk-stream', 'dingtalk-stream/*'], message: 'src/ is the functional core: a chat SDK belongs to its platform under adapters/.' },
          { group: ['**/adapters', '**/adapters/**'], message: 'src/ never imports from adapters/: pass what it needs in as plain data or a port.' },
        ],
      }],
    },
  },
);
