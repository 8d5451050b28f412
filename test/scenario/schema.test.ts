/** The JSON Schema generated for editors from the zod schema. */
import { describe, expect, test } from 'vitest';
import { scenarioJsonSchema } from '../../sim/scenario/schema.js';

type Json = { [key: string]: unknown };

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `properties` entry in the schema, with the path leading to it. */
function properties(node: unknown, path: string, out: [string, Json][] = []): [string, Json][] {
  if (Array.isArray(node)) node.forEach((n, i) => properties(n, `${path}[${i}]`, out));
  if (!isObject(node)) return out;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && isObject(value)) {
      for (const [name, prop] of Object.entries(value)) if (isObject(prop)) out.push([`${path}.${name}`, prop]);
    }
    properties(value, `${path}.${key}`, out);
  }
  return out;
}

describe('scenarioJsonSchema', () => {
  const schema = scenarioJsonSchema() as Json;
  const definitions = (schema['definitions'] ?? {}) as Record<string, Json>;

  /** A property's description, or that of the shared definition it refers to. */
  function describedBy(prop: Json): unknown {
    if (prop['description'] !== undefined) return prop['description'];
    const ref = (prop['$ref'] ?? (prop['allOf'] as Json[] | undefined)?.[0]?.['$ref']) as string | undefined;
    return ref === undefined ? undefined : definitions[ref.replace('#/definitions/', '')]?.['description'];
  }

  test('is a draft-07 object schema that refuses unknown keys', () => {
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema['type']).toBe('object');
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['required']).toEqual(['duration', 'clients', 'services']);
    expect(Object.keys(definitions).sort()).toEqual([
      'ComponentName',
      'Distribution',
      'Duration',
      'DurationOrEnd',
      'Fraction',
      'PositiveDuration',
      'Rate',
      'RateProfile',
    ]);
  });

  test('every field has a description, except a tag whose value it is', () => {
    const all = properties(schema, '#');
    expect(all.length).toBeGreaterThan(100);
    const missing = all.filter(([path, prop]) => describedBy(prop) === undefined && !/\.(kind|dist)$/.test(path)).map(([path]) => path);
    expect(missing).toEqual([]);
  });

  test('defaults and bounds reach the editor', () => {
    const props = schema['properties'] as Record<string, Json>;
    expect(props['seed']).toMatchObject({ default: 1, minimum: 0 });
    expect(props['sample']).toMatchObject({ default: '1s' });
    const duration = definitions['Duration'] as Json;
    expect(JSON.stringify(duration)).toContain('"maximum":10000000');
    expect(JSON.stringify(duration)).toContain('(us|ms|s|m|h)');
  });

  test('is plain JSON and stable', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    expect(scenarioJsonSchema()).toEqual(schema);
  });
});
