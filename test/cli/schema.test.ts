/**
 * `loopsim schema` and the committed `scenarios/schema.json`: the file is the
 * command's output, byte for byte (rebuild it with `npm run schema` after
 * changing sim/scenario/schema.ts), and every scenario points editors at it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { main } from '../../sim/cli/main.js';
import { formatScenarioSchema, SCHEMA_COMMENT } from '../../sim/cli/schema-command.js';
import { scenarioJsonSchema } from '../../sim/scenario/schema.js';

const scenarios = fileURLToPath(new URL('../../scenarios/', import.meta.url));

describe('loopsim schema', () => {
  test('prints the JSON Schema of the scenario format on stdout', async () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(await main(['schema'], { out: (t) => void out.push(t), err: (t) => void err.push(t) })).toBe(0);
    expect(err).toEqual([]);
    expect(JSON.parse(out.join(''))).toEqual(scenarioJsonSchema());
    expect(out.join('')).toBe(formatScenarioSchema());
  });

  test('scenarios/schema.json is up to date (run `npm run schema` if not)', () => {
    expect(readFileSync(join(scenarios, 'schema.json'), 'utf8')).toBe(formatScenarioSchema());
  });

  test.each(
    readdirSync(scenarios)
      .filter((f) => f.endsWith('.yaml'))
      .sort(),
  )('%s points editors at schema.json', (file) => {
    const first = readFileSync(join(scenarios, file), 'utf8').split('\n', 1)[0];
    expect(first).toBe(SCHEMA_COMMENT);
  });
});
