/**
 * The structure map of a scenario as inline SVG: clients → services →
 * services, left to right by call depth, every edge annotated with its
 * timeout, retry, breaker, pool and cache, and missing protections flagged
 * in red (no timeout) or amber (retry without backoff, no breaker).
 */
import type { Issue } from '../sim/scenario/issue.js';
import type { NormalizedScenario } from '../sim/scenario/types.js';
import type { Severity } from './edge-notes.js';
import { FLAG_NO_BACKOFF, FLAG_NO_BREAKER, FLAG_NO_DLQ, FLAG_NO_TIMEOUT } from './edge-notes.js';
import { escapeHtml } from './format.js';
import type { MapEdge, MapNode } from './structure-layout.js';
import { layoutStructureMap } from './structure-layout.js';

/** Stroke colour of an edge, and text colour of a line, by severity. */
export const SEVERITY_COLOR: Record<Severity, string> = { ok: '#5f6b7a', warn: '#b45309', danger: '#c62828' };

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

const n = (x: number): string => String(Math.round(x * 10) / 10);

function renderNode(node: MapNode): string {
  const client = node.kind === 'client';
  const fill = client ? '#eaf2fb' : node.kind === 'broker' ? '#fdf6e3' : '#f6f6f4';
  const stroke = client ? '#3b6ea8' : node.kind === 'broker' ? '#8a6d1f' : '#4b5563';
  const cx = node.x + node.w / 2;
  // A design lint's line (it starts with ⚠) takes the warning colour.
  const color = (l: string): string => (l.startsWith('⚠') ? SEVERITY_COLOR.warn : '#444');
  const text = node.lines
    .map(
      (l, i) =>
        `<text x="${n(cx)}" y="${n(node.y + 36 + i * 14)}" text-anchor="middle" font-size="11" fill="${color(l)}">${escapeHtml(l)}</text>`,
    )
    .join('');
  return (
    `<g class="node ${node.kind}" data-name="${escapeHtml(node.name)}">` +
    `<rect x="${n(node.x)}" y="${n(node.y)}" width="${n(node.w)}" height="${n(node.h)}" rx="${client ? 14 : 4}" fill="${fill}" stroke="${stroke}" stroke-width="1.4"/>` +
    `<text x="${n(cx)}" y="${n(node.y + 19)}" text-anchor="middle" font-size="13" font-weight="600" fill="#111">${escapeHtml(node.name)}</text>` +
    text +
    `</g>`
  );
}

/** An edge as two SVG fragments: its curves, and its annotation box (drawn later, above every curve). */
function renderEdge(edge: MapEdge, from: MapNode, to: MapNode): { path: string; box: string } {
  const color = SEVERITY_COLOR[edge.notes.severity];
  const width = edge.notes.severity === 'danger' ? 2.2 : 1.5;
  const sx = from.x + from.w;
  const tx = to.x;
  const { box } = edge;
  const by = box.y + box.h / 2;
  const bend = (a: number, b: number): number => Math.max(24, Math.abs(b - a) / 2);
  const d1 = `M${n(sx)},${n(edge.fromY)} C${n(sx + bend(sx, box.x))},${n(edge.fromY)} ${n(box.x - bend(sx, box.x))},${n(by)} ${n(box.x)},${n(by)}`;
  const bx = box.x + box.w;
  const d2 = `M${n(bx)},${n(by)} C${n(bx + bend(bx, tx))},${n(by)} ${n(tx - bend(bx, tx))},${n(edge.toY)} ${n(tx - 2)},${n(edge.toY)}`;
  const lines = edge.notes.lines
    .map((l, i) => {
      const weight = l.severity === 'ok' ? '' : ' font-weight="600"';
      const fill = l.severity === 'ok' ? '#333' : SEVERITY_COLOR[l.severity];
      return `<text x="${n(box.x + 7)}" y="${n(box.y + 15 + i * 14)}" font-size="11"${weight} fill="${fill}">${escapeHtml(l.text)}</text>`;
    })
    .join('');
  const title = `${from.name} → ${to.name}: ${edge.notes.lines.map((l) => l.text).join('; ')}`;
  const attrs = `class="edge ${edge.notes.severity}" data-from="${escapeHtml(from.name)}" data-to="${escapeHtml(to.name)}"`;
  return {
    path:
      `<g ${attrs}><title>${escapeHtml(title)}</title>` +
      `<path d="${d1}" fill="none" stroke="${color}" stroke-width="${width}"/>` +
      `<path d="${d2}" fill="none" stroke="${color}" stroke-width="${width}" marker-end="url(#arrow-${edge.notes.severity})"/></g>`,
    box:
      `<g ${attrs.replace('class="edge', 'class="edge-notes')}><title>${escapeHtml(title)}</title>` +
      `<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.w)}" height="${n(box.h)}" rx="3" fill="#fff" stroke="${color}" stroke-opacity="0.6"/>` +
      `${lines}</g>`,
  };
}

function marker(severity: Severity): string {
  return (
    `<marker id="arrow-${severity}" viewBox="0 0 10 10" refX="8" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse">` +
    `<path d="M0,0 L10,5 L0,10 z" fill="${SEVERITY_COLOR[severity]}"/></marker>`
  );
}

/** Smallest scale the map is drawn at to fit the window; below it, its box scrolls. */
export const MIN_MAP_SCALE = 0.5;

/**
 * The structure map of `scenario` as an `<svg>` element to inline in HTML
 * (no external references; arrowheads are local markers; without an `xmlns`,
 * so it is not a standalone SVG file). Each edge group
 * carries `data-from`, `data-to` and a `<title>` with its whole annotation.
 * The design lints among `warnings` show beside the edge or service they concern.
 */
export function renderStructureMap(scenario: NormalizedScenario, warnings: readonly Issue[] = []): string {
  const layout = layoutStructureMap(scenario, warnings);
  const byId = new Map(layout.nodes.map((node) => [node.id, node]));
  const edges = layout.edges.map((e) => renderEdge(e, byId.get(e.from)!, byId.get(e.to)!));
  return (
    `<svg class="structure-map" viewBox="0 0 ${layout.width} ${layout.height}" ` +
    `width="${layout.width}" height="${layout.height}" role="img" ${FONT} ` +
    // Scales down to fit the window, but never below half size (then its box scrolls sideways instead).
    `style="min-width:${Math.round(layout.width * MIN_MAP_SCALE)}px" ` +
    `aria-label="Structure map of ${escapeHtml(scenario.name)}: clients, services and the calls between them">` +
    `<defs>${marker('ok')}${marker('warn')}${marker('danger')}</defs>` +
    edges.map((e) => e.path).join('') +
    edges.map((e) => e.box).join('') +
    layout.nodes.map(renderNode).join('') +
    `</svg>`
  );
}

/** The legend of the structure map's colours and flags, as an HTML list. */
export function renderStructureLegend(): string {
  const item = (severity: Severity, label: string, text: string): string =>
    `<li><svg width="34" height="10" aria-hidden="true"><line x1="0" y1="5" x2="34" y2="5" stroke="${SEVERITY_COLOR[severity]}" stroke-width="${severity === 'danger' ? 2.2 : 1.5}"/></svg> ` +
    `<strong style="color:${SEVERITY_COLOR[severity]}">${escapeHtml(label)}</strong> ${escapeHtml(text)}</li>`;
  return (
    `<ul class="legend">` +
    item('danger', FLAG_NO_TIMEOUT, '— the caller waits as long as the callee takes; a slow callee holds its workers or connections.') +
    item('warn', FLAG_NO_BACKOFF, '— failed attempts are sent again at once, adding load exactly when the callee is struggling.') +
    item('warn', FLAG_NO_BREAKER, '— calls keep going to a failing callee instead of failing fast.') +
    item('warn', FLAG_NO_DLQ, '— a broker redelivers a message that always fails for ever, and each copy takes a consumer.') +
    item(
      'warn',
      '⚠ design lints',
      '— what loopsim validate warns about: a timeout inversion, retries at several layers, a LIFO or CoDel queue without capacity, a time without a unit.',
    ) +
    item('ok', 'protected', '— timeout set, retries back off, breaker in place (where it applies).') +
    `</ul>`
  );
}
