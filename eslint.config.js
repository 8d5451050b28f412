// ESLint: typescript-eslint's recommended rules, type-checked against tsconfig.json.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'out/', 'node_modules/', 'coverage/', '**/*.js', '**/*.mjs', 'vitest.config.ts'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A leading underscore marks a binding kept on purpose: a parameter a callback's
      // shape requires, or a field left out of a rest object.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // The engine is pure: the same scenario and seed give the same bytes. No clocks, no
    // Math.random (randomness comes from the seeded streams), no timers, no process.
    files: ['sim/engine/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: "Draw from the component's seeded stream (sim/engine/rng.ts)." },
        { object: 'Date', property: 'now', message: 'The engine has no clock: time is the simulated time.' },
        { object: 'performance', property: 'now', message: 'The engine has no clock: time is the simulated time.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'The engine schedules events, not timers.' },
        { name: 'setInterval', message: 'The engine schedules events, not timers.' },
        { name: 'performance', message: 'The engine has no clock.' },
        { name: 'process', message: 'The engine does no I/O and reads no environment.' },
        { name: 'Date', message: 'The engine has no clock: time is the simulated time.' },
      ],
    },
  },
  {
    // Tests craft malformed files by editing parsed JSON as `any`, and vitest's asymmetric
    // matchers (expect.stringContaining...) are typed `any`: the unsafe-any rules guard the
    // product's code, not these.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
