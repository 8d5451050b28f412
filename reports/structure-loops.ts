/**
 * The causal-loop diagram of a scenario as inline SVG, hand-laid: one panel
 * per loop of summary.json's `loops`, its components on a circle, each arrow
 * labelled with what it carries, R (reinforcing) or B (balancing) in the
 * middle, and the loop the verdict names highlighted. Beside it, a table of
 * each loop's gain before, during and after the faults.
 */
import type { LoopEntry, VerdictLoop } from '../sim/metrics/loop-summary.js';
import { escapeHtml, formatNumber } from './format.js';

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
/** Panel size and grid. */
const PANEL_W = 360;
const PANEL_H = 230;
const COLUMNS = 2;
/** Colours: reinforcing, balancing, and the highlighted (dominant) loop. */
const COLOR = { reinforcing: '#9a3412', balancing: '#1d4ed8', dominant: '#c62828', muted: '#6b7280' };

type Tone = 'reinforcing' | 'balancing' | 'dominant';

const n = (x: number): string => String(Math.round(x * 10) / 10);

interface Point {
  readonly x: number;
  readonly y: number;
}

/** Node positions on a circle around the panel's centre, first node on the left. */
function placeNodes(names: readonly string[], cx: number, cy: number): Map<string, Point> {
  const r = names.length === 1 ? 0 : names.length === 2 ? 105 : 80;
  return new Map(
    names.map((name, i) => {
      const a = Math.PI + (2 * Math.PI * i) / names.length;
      return [name, { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) * (names.length === 2 ? 1 : 0.8) }];
    }),
  );
}

function renderArrow(from: Point, to: Point, label: string, bend: number, color: Tone, width: number): string {
  const marker = `marker-end="url(#loop-arrow-${color})"`;
  const stroke = COLOR[color];
  if (from === to) {
    // A loop on one component: a small circle above it, the label above that.
    const top = from.y - 20;
    const d = `M${n(from.x - 8)},${n(top)} a18,18 0 1,1 16,0`;
    return (
      `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="${width}" ${marker}/>` +
      `<text x="${n(from.x)}" y="${n(top - 40 - bend / 3)}" text-anchor="middle" font-size="10.5" fill="#333">${escapeHtml(label)}</text>`
    );
  }
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  // Curve to the right of the direction of travel, so A→B and B→A do not overlap.
  const nx = dy / len;
  const ny = -dx / len;
  const mx = (from.x + to.x) / 2 + nx * bend;
  const my = (from.y + to.y) / 2 + ny * bend;
  const trim = 30 / len;
  const sx = from.x + dx * trim;
  const sy = from.y + dy * trim;
  const ex = to.x - dx * trim;
  const ey = to.y - dy * trim;
  const lx = (from.x + to.x) / 2 + nx * (bend * 0.55 + 8);
  const ly = (from.y + to.y) / 2 + ny * (bend * 0.55 + 8) + 3;
  return (
    `<path d="M${n(sx)},${n(sy)} Q${n(mx)},${n(my)} ${n(ex)},${n(ey)}" fill="none" stroke="${stroke}" stroke-width="${width}" ${marker}/>` +
    `<text x="${n(lx)}" y="${n(ly)}" text-anchor="middle" font-size="10.5" fill="#333">${escapeHtml(label)}</text>`
  );
}

function renderPanel(loop: LoopEntry, x: number, y: number, dominant: boolean): string {
  const names = [...new Set(loop.links.flatMap((l) => [l.from, l.to]))];
  const cx = x + PANEL_W / 2;
  const cy = y + PANEL_H / 2 + 18;
  const at = placeNodes(names, cx, cy);
  const tone: Tone = dominant ? 'dominant' : loop.polarity;
  const color = COLOR[tone];
  const width = dominant ? 2.4 : 1.4;
  const seen = new Map<string, number>();
  const arrows = loop.links.map((l) => {
    const key = `${l.from}\u0000${l.to}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    return renderArrow(at.get(l.from)!, at.get(l.to)!, l.carries, 28 + 40 * k, tone, width);
  });
  const nodes = names.map((name) => {
    const p = at.get(name)!;
    const w = Math.max(60, name.length * 6.6 + 14);
    return (
      `<rect x="${n(p.x - w / 2)}" y="${n(p.y - 11)}" width="${n(w)}" height="22" rx="4" fill="#f6f6f4" stroke="#4b5563"/>` +
      `<text x="${n(p.x)}" y="${n(p.y + 4)}" text-anchor="middle" font-size="11" font-weight="600" fill="#111">${escapeHtml(name)}</text>`
    );
  });
  const letter = loop.polarity === 'reinforcing' ? 'R' : 'B';
  const after = loop.gain.after ?? loop.gain.before;
  const gain = after === null ? '' : ` · gain ${formatNumber(after)}${loop.gain.after === null ? '' : ' after the faults'}`;
  const mark = names.length === 1 ? { x: cx + 60, y: cy } : { x: cx, y: cy };
  return (
    `<g class="loop${dominant ? ' dominant' : ''}" data-loop="${escapeHtml(loop.id)}" data-polarity="${loop.polarity}">` +
    `<title>${escapeHtml(`${loop.name} (${loop.polarity}) through ${loop.path.join(' → ')}`)}</title>` +
    `<rect x="${n(x + 4)}" y="${n(y + 4)}" width="${PANEL_W - 8}" height="${PANEL_H - 8}" rx="6" fill="#fff" stroke="${dominant ? COLOR.dominant : '#ddd'}" stroke-width="${dominant ? 2 : 1}"/>` +
    `<text x="${n(x + 14)}" y="${n(y + 22)}" font-size="12.5" font-weight="600" fill="${color}">${escapeHtml(loop.name)}${dominant ? ' — the verdict’s loop' : ''}</text>` +
    `<text x="${n(x + 14)}" y="${n(y + 37)}" font-size="10.5" fill="${COLOR.muted}">${escapeHtml(`${loop.polarity}${gain}`)}</text>` +
    arrows.join('') +
    nodes.join('') +
    `<circle cx="${n(mark.x)}" cy="${n(mark.y)}" r="11" fill="#fff" stroke="${color}" stroke-width="1.4"/>` +
    `<text class="polarity" x="${n(mark.x)}" y="${n(mark.y + 4.5)}" text-anchor="middle" font-size="13" font-weight="700" fill="${color}">${letter}</text>` +
    `</g>`
  );
}

function arrowMarker(tone: Tone): string {
  return (
    `<marker id="loop-arrow-${tone}" viewBox="0 0 10 10" refX="8" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">` +
    `<path d="M0,0 L10,5 L0,10 z" fill="${COLOR[tone]}"/></marker>`
  );
}

/**
 * The causal-loop diagram as an `<svg>` element to inline in HTML: one panel
 * per loop (`data-loop` = its id, `data-polarity`), the verdict's loop with
 * class `dominant`. An empty string when the structure has no loop.
 */
export function renderLoopDiagram(loops: readonly LoopEntry[], verdictLoop: VerdictLoop | null): string {
  if (loops.length === 0) return '';
  const rows = Math.ceil(loops.length / COLUMNS);
  const width = PANEL_W * Math.min(COLUMNS, loops.length);
  const height = PANEL_H * rows;
  const panels = loops.map((l, i) => renderPanel(l, (i % COLUMNS) * PANEL_W, Math.floor(i / COLUMNS) * PANEL_H, verdictLoop?.id === l.id));
  return (
    `<svg class="loop-diagram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ${FONT} ` +
    `aria-label="Causal loops: R reinforcing, B balancing; each arrow says what it carries">` +
    `<defs>${(['reinforcing', 'balancing', 'dominant'] as const).map(arrowMarker).join('')}</defs>` +
    panels.join('') +
    `</svg>`
  );
}

/** Each loop's gain before, during and after the faults, as an HTML table (gains of 1 or more in bold). */
export function renderLoopTable(loops: readonly LoopEntry[], verdictLoop: VerdictLoop | null): string {
  if (loops.length === 0) return '<p class="empty">This structure has no feedback loop loopsim recognises.</p>';
  const cell = (x: number | null): string =>
    x === null ? '<td>–</td>' : x >= 1 ? `<td><strong>${formatNumber(x)}</strong></td>` : `<td>${formatNumber(x)}</td>`;
  const rows = loops.map(
    (l) =>
      `<tr${verdictLoop?.id === l.id ? ' class="dominant"' : ''}><td>${escapeHtml(l.name)}</td><td>${l.polarity === 'reinforcing' ? 'R' : 'B'}</td>` +
      `<td>${escapeHtml(l.path.join(' → '))}</td>${cell(l.gain.before)}${cell(l.gain.during)}${cell(l.gain.after)}</tr>`,
  );
  return (
    `<table class="loops"><thead><tr><th>loop</th><th></th><th>through</th><th>gain before</th><th>during</th><th>after</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}
