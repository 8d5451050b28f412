/**
 * Turns zod's issues into loopsim's: one sentence saying what was expected
 * and what was found, at the path of the offending value.
 *
 * Two conventions tie this file to the schema:
 * - a zod issue's `message` is the *expected* phrase ("a duration like
 *   250ms"); leaf schemas word it themselves, `createErrorMap` covers the rest;
 * - for an unknown key, the error map notes the keys the object allows, keyed
 *   by the input object, so the message can suggest the closest one.
 */
import { z } from 'zod';
import type { IssueDraft, PathSegment } from './issue.js';
import * as msg from './messages.js';

type ZodIssue = z.core.$ZodIssue;

/** Keys each rejected object allows, filled in by the error map during one parse. */
export type AllowedKeys = WeakMap<object, readonly string[]>;

/** The error map for one `safeParse`: expected-phrases for issues the schema leaves unworded. */
export function createErrorMap(allowed: AllowedKeys): z.core.$ZodErrorMap {
  return (iss) => {
    switch (iss.code) {
      case 'unrecognized_keys': {
        const { inst, input } = iss;
        if (inst instanceof z.ZodObject && typeof input === 'object' && input !== null) {
          allowed.set(input, Object.keys(inst.shape));
        }
        return 'a known key';
      }
      case 'invalid_type':
        return msg.expectType(iss.expected);
      case 'invalid_value':
        return msg.expectOneOf(iss.values.map(String));
      case 'too_small':
        return msg.expectSize(iss.origin, 'min', Number(iss.minimum));
      case 'too_big':
        return msg.expectSize(iss.origin, 'max', Number(iss.maximum));
      case 'invalid_format':
        return msg.expectPattern(iss.pattern ?? iss.format);
      default:
        return undefined;
    }
  };
}

/** A discriminated union whose tag (`kind`, `dist`) matched no option. */
function isNoMatch(i: ZodIssue): boolean {
  return i.code === 'invalid_union' && typeof i.discriminator === 'string';
}

/** How badly a union branch failed: the branch with fewest problems is the one the user meant (ties go to the deepest). */
function weight(branch: readonly ZodIssue[]): number {
  return branch.reduce((sum, i) => sum + (i.code === 'unrecognized_keys' ? i.keys.length : 1), 0);
}

/** How far into the value a branch got before failing: a deeper failure means the outer shape matched. */
function depth(branch: readonly ZodIssue[]): number {
  return Math.max(0, ...branch.map((i) => i.path.length));
}

/**
 * True when a branch refused the value outright: the wrong type (a string
 * offered to a list, say), or a word that is none of its literals.
 */
function refusedType(branch: readonly ZodIssue[]): boolean {
  const root = branch.filter((i) => i.path.length === 0);
  // Some checks still run after a type failure and add noise beside it, so one root type failure decides.
  if (root.some((i) => i.code === 'invalid_type')) return true;
  return (
    root.length > 0 &&
    root.length === branch.length &&
    root.every((i) => i.code === 'invalid_value' || (i.code === 'invalid_union' && !isNoMatch(i) && i.errors.every(refusedType)))
  );
}

/**
 * Replaces each union failure by the issues of the branch the user most likely
 * meant, with absolute paths. A union whose every branch refused the value's
 * type stays as one issue, worded by the union itself.
 */
export function flattenUnions(issues: readonly ZodIssue[], base: readonly PathSegment[] = []): ZodIssue[] {
  const out: ZodIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    if (issue.code === 'invalid_union' && !isNoMatch(issue)) {
      const viable = issue.errors.filter((b) => b.length > 0 && !refusedType(b));
      const best = viable.reduce<ZodIssue[] | undefined>((a, b) => {
        if (!a) return b;
        const d = weight(b) - weight(a) || depth(a) - depth(b);
        return d < 0 ? b : a;
      }, undefined);
      if (best) {
        out.push(...flattenUnions(best, path));
        continue;
      }
    }
    out.push({ ...issue, path });
  }
  return out;
}

/** Allowed literal words anywhere inside a union's branches, for "did you mean". */
function literalsIn(issue: ZodIssue): string[] {
  if (issue.code === 'invalid_value') return issue.values.map(String);
  if (issue.code === 'invalid_union') return issue.errors.flat().flatMap(literalsIn);
  return [];
}

/** The last key of a path, with an index shown on its list: `timeout`, `calls[0]`. */
export function labelOf(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'scenario';
  if (typeof last === 'number') return `${String(path[path.length - 2] ?? '')}[${last}]`;
  return last;
}

/** One zod issue (already flattened) as loopsim issue drafts. */
function toDrafts(issue: ZodIssue, allowed: AllowedKeys): IssueDraft[] {
  const path = issue.path as PathSegment[];
  const label = labelOf(path);
  const input: unknown = issue.input;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const keys = (typeof input === 'object' && input !== null ? allowed.get(input) : undefined) ?? [];
      return issue.keys.map((key) => ({
        message: msg.unknownKey(key, keys),
        path: [...path, key],
        atKey: true,
        expected: `one of ${msg.list(keys)}`,
        found: `"${key}"`,
      }));
    }
    case 'invalid_key': {
      const expected = issue.issues[0]?.message ?? 'a valid key';
      return [
        { message: msg.invalidValue('name', expected, msg.showValue(input)), path, atKey: true, expected, found: msg.showValue(input) },
      ];
    }
    case 'invalid_union':
      if (isNoMatch(issue)) {
        const options = ('options' in issue ? (issue.options ?? []) : []).map(String);
        const found =
          typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[issue.discriminator ?? ''] : undefined;
        const expected = msg.expectOneOf(options);
        if (found === undefined) return [{ message: msg.missingField(label, expected), path, expected }];
        const hint = msg.didYouMean(typeof found === 'string' ? found : msg.showValue(found), options);
        return [{ message: msg.invalidValue(label, expected, msg.showValue(found), hint), path, expected, found: msg.showValue(found) }];
      }
      break;
    default:
      break;
  }
  if (input === undefined) return [{ message: msg.missingField(label, issue.message), path, expected: issue.message }];
  const found = msg.showValue(input);
  const words = typeof input === 'string' ? literalsIn(issue) : [];
  const hint = words.length > 0 ? msg.didYouMean(input as string, words) : '';
  return [{ message: msg.invalidValue(label, issue.message, found, hint), path, expected: issue.message, found }];
}

/**
 * zod's issues for one document as loopsim issue drafts: unions resolved to
 * the branch meant, one draft per unknown key, at most one per path. Stops
 * after `limit` drafts; `unmapped` then estimates how many problems remain
 * (each unknown key counts as one).
 */
export function mapZodIssues(
  issues: readonly ZodIssue[],
  allowed: AllowedKeys,
  limit = Infinity,
): { drafts: IssueDraft[]; unmapped: number } {
  const seen = new Set<string>();
  const drafts: IssueDraft[] = [];
  const flat = flattenUnions(issues);
  let i = 0;
  for (; i < flat.length && drafts.length < limit; i++) {
    for (const draft of toDrafts(flat[i] as ZodIssue, allowed)) {
      const key = JSON.stringify(draft.path);
      if (seen.has(key)) continue;
      seen.add(key);
      drafts.push(draft);
    }
  }
  const unmapped = flat.slice(i).reduce((n, issue) => n + (issue.code === 'unrecognized_keys' ? issue.keys.length : 1), 0);
  return { drafts, unmapped };
}
