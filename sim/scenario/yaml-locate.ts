/**
 * Finds where a value sits in the YAML text: from a path of keys and indexes
 * (as zod reports it) to a line and column, and back from a text offset (as
 * the YAML parser reports it) to a path. Works on the parsed Document, so
 * comments, flow style and anchors do not throw positions off.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { Document, LineCounter, Node, Pair } from 'yaml';
import type { PathSegment } from './issue.js';

/** A 1-based position in the text. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Answers "where is this?" for one parsed file. */
export interface Locator {
  /**
   * Position of the node at `path`; with `atKey`, of the key naming it. When the
   * path leads nowhere (a missing field), the position of the deepest node that
   * exists on the way, so the user lands in the right map.
   */
  locate(path: readonly PathSegment[], atKey?: boolean): Position | undefined;
  /** The path of the deepest key or value whose text covers `offset`. */
  pathAt(offset: number): PathSegment[];
}

type AnyNode = Node | null | undefined;

function keyText(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  return typeof k === 'string' || typeof k === 'number' ? String(k) : undefined;
}

function rangeStart(n: unknown): number | undefined {
  const r = (n as { range?: readonly number[] | null } | null)?.range;
  return r?.[0];
}

function covers(n: unknown, offset: number): boolean {
  const r = (n as { range?: readonly number[] | null } | null)?.range;
  return r !== undefined && r !== null && (r[0] ?? Infinity) <= offset && offset < (r[2] ?? -Infinity);
}

/** Builds a locator over a parsed document and the line counter it was parsed with. */
export function createLocator(doc: Document, lines: LineCounter): Locator {
  const resolve = (n: AnyNode): AnyNode => (isAlias(n) ? (n.resolve(doc) ?? null) : n);
  const position = (offset: number | undefined): Position | undefined => {
    if (offset === undefined) return undefined;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };

  // A pair for `key` in a map, looking through `<<` merge keys the way YAML merges do.
  const findPair = (map: AnyNode, key: string, depth = 0): Pair | undefined => {
    const m = resolve(map);
    if (!isMap(m) || depth > 8) return undefined;
    const own = m.items.find((p) => keyText(p) === key);
    if (own) return own;
    for (const p of m.items) {
      if (keyText(p) !== '<<') continue;
      const v = resolve(p.value as AnyNode);
      const sources = isSeq(v) ? v.items : [v];
      for (const s of sources) {
        const found = findPair(s as AnyNode, key, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };

  const locate = (path: readonly PathSegment[], atKey = false): Position | undefined => {
    let node: AnyNode = doc.contents;
    let last: number | undefined = rangeStart(node);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i] as PathSegment;
      const here = resolve(node);
      if (isSeq(here) && typeof seg === 'number') {
        node = here.items[seg] as AnyNode;
      } else if (isMap(here)) {
        const pair = findPair(here, String(seg));
        if (!pair) break;
        if (atKey && i === path.length - 1) return position(rangeStart(pair.key));
        // `key:` with nothing after it has no value node: point at the key.
        node = (pair.value as AnyNode) ?? null;
        if (node === null || rangeStart(node) === undefined) return position(rangeStart(pair.key));
      } else {
        break;
      }
      last = rangeStart(node) ?? last;
    }
    return position(last);
  };

  const pathAt = (offset: number): PathSegment[] => {
    const path: PathSegment[] = [];
    let node: AnyNode = doc.contents;
    // Depth bound: aliases are not followed here, so this terminates anyway; the bound is a backstop.
    for (let depth = 0; depth < 1000 && node; depth++) {
      let next: AnyNode;
      if (isMap(node)) {
        for (const pair of node.items) {
          if (!isPair(pair)) continue;
          if (covers(pair.key, offset)) return [...path, keyText(pair) ?? '?'];
          if (covers(pair.value, offset)) {
            path.push(keyText(pair) ?? '?');
            next = pair.value as AnyNode;
            break;
          }
        }
      } else if (isSeq(node)) {
        const index = node.items.findIndex((item) => covers(item, offset));
        if (index >= 0) {
          path.push(index);
          next = node.items[index] as AnyNode;
        }
      }
      if (!next) break;
      node = next;
    }
    return path;
  };

  return { locate, pathAt };
}

/**
 * Keys that appear twice in the same map, with the offset of each repeat.
 * The YAML parser can check this itself, but its check compares every key
 * with every other and takes seconds on a large map; a set per map is linear.
 */
export function findDuplicateKeys(doc: Document): { key: string; offset: number }[] {
  const found: { key: string; offset: number }[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = keyText(pair);
        // Merge keys may repeat; non-scalar keys are refused later as unknown keys.
        if (key === undefined || key === '<<') continue;
        if (seen.has(key)) found.push({ key, offset: rangeStart(pair.key) ?? 0 });
        seen.add(key);
      }
    },
  });
  return found;
}
