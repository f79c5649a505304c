// ESLint flat config: type-aware rules from typescript-eslint, so promise misuse and unsafe `any` are caught in CI, and
// the allowed dependencies between folders (docs/ARCHITECTURE.md, "Where things live"), so a wrong arrow fails CI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import noSqlInterpolation from './eslint/no-sql-interpolation.js';
import regexp from 'eslint-plugin-regexp';

// Patterns match the import specifier (a relative path), so a folder name stands for that folder wherever it is.
const SUBGRAPH_FOLDERS = ['organizations', 'integrations', 'documents', 'audit'];
const ENTRY_POINTS = ['**/platform/**', '**/bin/**', '**/test/**', '**/bench/**'];
const SIMULATORS = ['**/simulators/**'];

/** A rule forbidding `files` to import `group` (gitignore-style patterns, `!` to allow an exception). */
function layer(files, group, message) {
  return {
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message }] }] },
  };
}

const dependencyRules = [
  layer(
    ['common/**'],
    [
      '**/access/**',
      '**/auditlog/**',
      '**/db/**',
      '**/gateway/**',
      '**/subgraphs/**',
      ...SIMULATORS,
      ...ENTRY_POINTS,
    ],
    'common/ is the bottom layer: it imports nothing else of the project.',
  ),
  layer(
    ['db/**'],
    ['**/access/**', '**/auditlog/**', '**/gateway/**', '**/subgraphs/**', ...SIMULATORS, ...ENTRY_POINTS],
    'db/ uses only common/.',
  ),
  layer(
    ['access/**'],
    ['**/auditlog/**', '**/gateway/**', '**/subgraphs/**', ...SIMULATORS, ...ENTRY_POINTS],
    'access/ uses only common/ and db/.',
  ),
  layer(
    ['auditlog/**'],
    ['**/gateway/**', '**/subgraphs/**', ...SIMULATORS, ...ENTRY_POINTS],
    'auditlog/ (writing audit events) uses only common/, db/ and access/: the gateway and the subgraphs both write.',
  ),
  layer(
    ['gateway/**'],
    ['**/subgraphs/**', '!**/subgraphs/permissions.ts', ...SIMULATORS, ...ENTRY_POINTS],
    'The gateway knows the subgraphs only through subgraphs/permissions.ts.',
  ),
  layer(
    ['subgraphs/runtime/**'],
    [...SUBGRAPH_FOLDERS.map((name) => `**/${name}/**`), '**/gateway/**', ...SIMULATORS, ...ENTRY_POINTS],
    'subgraphs/runtime/ serves every subgraph and imports none of them.',
  ),
  ...SUBGRAPH_FOLDERS.map((own) =>
    layer(
      [`subgraphs/${own}/**`],
      [
        ...SUBGRAPH_FOLDERS.filter((other) => other !== own).map((other) => `**/${other}/**`),
        '**/subgraphs/index.ts',
        '**/subgraphs/permissions.ts',
        '**/gateway/**',
        ...SIMULATORS,
        ...ENTRY_POINTS,
      ],
      'A subgraph never imports another subgraph, the gateway or the stand-ins.',
    ),
  ),
  layer(
    ['subgraphs/index.ts', 'subgraphs/permissions.ts'],
    ['**/gateway/**', ...SIMULATORS, ...ENTRY_POINTS],
    'The subgraph registries import only the subgraphs.',
  ),
  layer(
    ['simulators/**', 'schema/**'],
    ['**/access/**', '**/auditlog/**', '**/db/**', '**/gateway/**', '**/subgraphs/**', ...ENTRY_POINTS],
    'The stand-ins and the schema tools stand apart from the platform.',
  ),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', 'dist/**', 'eslint.config.js', 'eslint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // CommonJS modules a load generator's worker thread requires by path (bench/distinct-text-request.cjs); not
    // part of the TypeScript project.
    files: ['bench/**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The access log page's scripts run in the browser; not part of the TypeScript project.
    files: ['gateway/access-log-page/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        document: 'readonly',
        fetch: 'readonly',
        window: 'readonly',
        crypto: 'readonly',
        TextEncoder: 'readonly',
        atob: 'readonly',
        btoa: 'readonly',
      },
    },
  },
  {
    // Security rules (issue #14 item 4). SQL is sent with its values as parameters ($1, $2, …), never spliced in:
    // a statement handed to query/exec/sql must be a plain string, not a template with substitutions or a
    // concatenation. The few statements that must name an identifier (a schema, a role, a scratch database) say why
    // in place and validate it first. No eval in any form, no require or import of a computed name.
    plugins: { fiks: { rules: { 'no-sql-interpolation': noSqlInterpolation } }, regexp },
    rules: {
      // Regular expressions that can backtrack super-linearly on crafted input (ReDoS), found by analysis rather
      // than by a heuristic such as safe-regex's star height.
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': 'error',
      'fiks/no-sql-interpolation': 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-script-url': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require'][arguments.0.type!='Literal']",
          message: 'require of a computed name: require (or import) a fixed module.',
        },
        {
          selector: 'ImportExpression[source.type!="Literal"]',
          message: 'Dynamic import of a computed name: import a fixed module.',
        },
      ],
    },
  },
  {
    // Tests send javascript: URLs as attacks on purpose.
    files: ['test/**'],
    rules: { 'no-script-url': 'off' },
  },
  {
    files: ['bin/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  ...dependencyRules,
);
