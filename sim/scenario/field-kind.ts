/**
 * What kind of number a field of the scenario format takes, looked up by its
 * path in the JSON Schema: so that a search over a field (--find-tipping)
 * probes only values the field accepts.
 */
import type { PathSegment } from './issue.js';
import { scenarioJsonSchema } from './schema.js';

type Node = Readonly<Record<string, unknown>>;

let schema: Node | undefined;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The schema's nodes for one value: `$ref`s followed and `anyOf`/`oneOf` branches spread. */
function alternatives(node: Node, root: Node, depth = 0): Node[] {
  if (depth > 20) return [];
  const ref = node['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/definitions/')) {
    const target = (root['definitions'] as Node | undefined)?.[ref.slice('#/definitions/'.length)];
    return isNode(target) ? alternatives(target, root, depth + 1) : [];
  }
  const branches = [node['anyOf'], node['oneOf']].flatMap((b) => (Array.isArray(b) ? b.filter(isNode) : []));
  return branches.length === 0 ? [node] : branches.flatMap((b) => alternatives(b, root, depth + 1));
}

/** The nodes one step down from `node` along `seg`. */
function child(node: Node, seg: PathSegment): Node[] {
  if (typeof seg === 'number') return isNode(node['items']) ? [node['items']] : [];
  const props = node['properties'];
  if (isNode(props) && isNode(props[seg])) return [props[seg]];
  return isNode(node['additionalProperties']) ? [node['additionalProperties']] : [];
}

/**
 * Whether the field at `path` takes whole numbers only (`workers`,
 * `instances`, `pool.size`, `retry.attempts`...): some form of it is an
 * integer and none is a fractional number. False for unknown paths.
 */
export function isWholeNumberField(path: readonly PathSegment[]): boolean {
  schema ??= scenarioJsonSchema() as Node;
  const root = schema;
  let nodes = alternatives(root, root);
  for (const seg of path) nodes = nodes.flatMap((n) => child(n, seg)).flatMap((n) => alternatives(n, root));
  const types = nodes.map((n) => n['type']);
  return types.includes('integer') && !types.includes('number');
}
