/**
 * Geometry of the structure map: clients in the first column, each service
 * (or broker) in the column of its call depth (the longest chain of calls,
 * or publishes and deliveries, that reaches it),
 * left to right. Every edge gets an annotation box in the gap after its
 * caller's column; boxes in one gap are stacked so they never overlap.
 * Pure arithmetic on the scenario: the same scenario gives the same layout.
 */
import { callEdgeNames } from '../sim/scenario/edge-names.js';
import type { Issue } from '../sim/scenario/issue.js';
import type { NormalizedScenario } from '../sim/scenario/types.js';
import { routeShare } from '../sim/scenario/route-share.js';
import type { EdgeNotes } from './edge-notes.js';
import {
  arrivalText,
  brokerNotes,
  callNotes,
  clientNotes,
  linkFaultLines,
  lintLines,
  publisherNotes,
  serviceText,
  withLines,
} from './edge-notes.js';

/** A rectangle in SVG user units (pixels). */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** A client or service box with its text. */
export interface MapNode extends Box {
  readonly id: string;
  readonly kind: 'client' | 'service' | 'broker';
  readonly name: string;
  readonly lines: readonly string[];
  readonly layer: number;
}

/** An edge from caller to callee, with its annotation box and the y where it leaves and enters. */
export interface MapEdge {
  readonly from: string;
  readonly to: string;
  readonly notes: EdgeNotes;
  readonly box: Box;
  readonly fromY: number;
  readonly toY: number;
}

/** The laid-out map: total size, nodes and edges. */
export interface MapLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly MapNode[];
  readonly edges: readonly MapEdge[];
}

const PAD = 16;
/** Smallest node width; a column widens to fit its longest text. */
const NODE_W = 150;
const NODE_GAP = 28;
const LINE = 14;
const CHAR = 6.7;
const CHAR_BOLD = 7.3;
const BOX_GAP = 10;
const MIN_GAP = 90;

/** Width of a line of 11px text, estimated generously from its length (no font metrics offline). */
export function textWidth(text: string, bold = false): number {
  return text.length * (bold ? CHAR_BOLD : CHAR);
}

interface Draft {
  readonly id: string;
  readonly kind: 'client' | 'service' | 'broker';
  readonly name: string;
  readonly lines: string[];
  layer: number;
  order: number;
}

/**
 * Lays out the clients, services and calls of `scenario`; see the module
 * comment. The design lints among `warnings` (from parseScenario) add a line
 * to the edge or service they concern.
 */
export function layoutStructureMap(scenario: NormalizedScenario, warnings: readonly Issue[] = []): MapLayout {
  // 1. Nodes and edges.
  const lints = lintLines(warnings);
  const drafts: Draft[] = [
    ...scenario.clients.map((c) => ({
      id: `client:${c.name}`,
      kind: 'client' as const,
      name: c.name,
      lines: [arrivalText(c.arrival)],
      layer: 0,
      order: 0,
    })),
    ...scenario.services.map((s) => ({
      id: `service:${s.name}`,
      kind: 'service' as const,
      name: s.name,
      lines: [...serviceText(s), ...lints.service(s.name)],
      layer: 1,
      order: 0,
    })),
    ...scenario.brokers.map((b) => ({
      id: `broker:${b.name}`,
      kind: 'broker' as const,
      name: b.name,
      lines: ['broker (SQS semantics)'],
      layer: 1,
      order: 0,
    })),
  ];
  const byId = new Map(drafts.map((d) => [d.id, d]));
  const raw = [
    ...scenario.clients.map((c) => ({
      from: `client:${c.name}`,
      to: `service:${c.target}`,
      notes: withLines(clientNotes(c), lints.client(c.name)),
    })),
    ...scenario.services.flatMap((s) => {
      const names = callEdgeNames(s);
      return s.calls.map((c, i) => {
        const extra = [...lints.call(s.name, i), ...linkFaultLines(scenario.faults, names[i] as string)];
        return { from: `service:${s.name}`, to: `service:${c.to}`, notes: withLines(callNotes(c, routeShare(s.calls, c)), extra) };
      });
    }),
    ...scenario.clients.map((c) => ({ from: `client:${c.name}`, to: `broker:${c.target}`, notes: publisherNotes() })),
    ...scenario.brokers.map((b) => ({ from: `broker:${b.name}`, to: `service:${b.consumers.service}`, notes: brokerNotes(b) })),
  ].filter((e) => byId.has(e.from) && byId.has(e.to));

  // 2. Layers by longest call chain; the pass limit keeps a call cycle from looping forever.
  const passes = scenario.services.length + scenario.brokers.length;
  for (let pass = 0; pass <= passes; pass += 1) {
    let changed = false;
    for (const e of raw) {
      const a = byId.get(e.from)!;
      const b = byId.get(e.to)!;
      if (b.layer < a.layer + 1 && pass < passes) {
        b.layer = a.layer + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const used = [...new Set(drafts.map((d) => d.layer))].sort((x, y) => x - y);
  for (const d of drafts) d.layer = used.indexOf(d.layer);
  const layers: Draft[][] = used.map((_, i) => drafts.filter((d) => d.layer === i));

  // 3. Order within a layer by the mean position of callers (barycenter), to cut crossings.
  layers.forEach((layer, li) => {
    layer.forEach((d, i) => (d.order = i));
    if (li === 0) return;
    const key = (d: Draft): number => {
      const preds = raw
        .filter((e) => e.to === d.id)
        .map((e) => byId.get(e.from)!)
        .filter((p) => p.layer < li);
      return preds.length === 0 ? Infinity : preds.reduce((s, p) => s + p.order, 0) / preds.length;
    };
    const keys = new Map(layer.map((d) => [d.id, key(d)]));
    layer.sort((a, b) => keys.get(a.id)! - keys.get(b.id)! || a.order - b.order);
    layer.forEach((d, i) => (d.order = i));
  });

  // 4. Annotation box sizes, then column positions wide enough for the boxes.
  const boxSize = raw.map((e) => ({
    w: Math.max(...e.notes.lines.map((l) => textWidth(l.text, l.severity !== 'ok'))) + 14,
    h: e.notes.lines.length * LINE + 8,
  }));
  const gaps = layers.map((_, li) => Math.max(MIN_GAP, ...raw.map((e, i) => (byId.get(e.from)!.layer === li ? boxSize[i]!.w + 48 : 0))));
  // A column is as wide as its widest node text (13px bold name, 11px lines).
  const colW = layers.map((layer) =>
    Math.max(NODE_W, ...layer.flatMap((d) => [d.name.length * 8.2 + 20, ...d.lines.map((l) => textWidth(l) + 16)])),
  );
  const colX: number[] = [];
  layers.forEach((_, li) => colX.push(li === 0 ? PAD : colX[li - 1]! + colW[li - 1]! + gaps[li - 1]!));

  // 5. Node positions: stacked per column, columns centred on the tallest.
  const nodeH = (d: Draft): number => 30 + d.lines.length * LINE;
  const columnH = layers.map((l) => l.reduce((s, d) => s + nodeH(d), 0) + NODE_GAP * Math.max(0, l.length - 1));
  const tallest = Math.max(...columnH);
  const nodes = new Map<string, MapNode>();
  layers.forEach((layer, li) => {
    let y = PAD + (tallest - columnH[li]!) / 2;
    for (const d of layer) {
      nodes.set(d.id, { id: d.id, kind: d.kind, name: d.name, lines: d.lines, layer: li, x: colX[li]!, y, w: colW[li]!, h: nodeH(d) });
      y += nodeH(d) + NODE_GAP;
    }
  });
  const centerY = (n: MapNode): number => n.y + n.h / 2;

  // 6. Where edges leave and enter: spread over the node's side, ordered by the
  // other end's height, so that edges do not start at one point or cross there.
  const portY = (i: number, key: 'from' | 'to'): number => {
    const other = key === 'from' ? 'to' : 'from';
    const self = nodes.get(raw[i]![key])!;
    const mine = raw
      .map((e, j) => ({ j, y: centerY(nodes.get(e[other])!) }))
      .filter(({ j }) => raw[j]![key] === self.id)
      .sort((a, b) => a.y - b.y || a.j - b.j);
    const k = mine.findIndex(({ j }) => j === i);
    return centerY(self) + (k - (mine.length - 1) / 2) * Math.min(8, self.h / (mine.length + 1));
  };
  const fromY = raw.map((_, i) => portY(i, 'from'));
  const toY = raw.map((_, i) => portY(i, 'to'));

  // 7. Boxes: in the gap after the caller's column, near the edge's midpoint, pushed down past the previous box.
  const boxes: Box[] = new Array<Box>(raw.length);
  layers.forEach((_, li) => {
    const inGap = raw
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => byId.get(e.from)!.layer === li)
      .map(({ e, i }) => {
        const forward = byId.get(e.to)!.layer === li + 1;
        return { i, want: forward ? (fromY[i]! + toY[i]!) / 2 : fromY[i]! };
      })
      .sort((a, b) => a.want - b.want || a.i - b.i);
    let bottom = -Infinity;
    const placed = inGap.map(({ i, want }) => {
      const { w, h } = boxSize[i]!;
      const y = Math.max(want - h / 2, bottom + BOX_GAP, PAD);
      bottom = y + h;
      return { i, y, w, h, want };
    });
    // Pull the stack back up towards where the boxes want to be, as far as the top margin allows.
    const drift = placed.reduce((s, p) => s + (p.y + p.h / 2 - p.want), 0) / Math.max(1, placed.length);
    const lift = Math.max(0, Math.min(drift, ...placed.map((p) => p.y - PAD)));
    const gapX = colX[li]! + colW[li]!;
    for (const p of placed) boxes[p.i] = { x: gapX + (gaps[li]! - p.w) / 2, y: p.y - lift, w: p.w, h: p.h };
  });

  const edges: MapEdge[] = raw.map((e, i) => ({ ...e, box: boxes[i]!, fromY: fromY[i]!, toY: toY[i]! }));
  const all: Box[] = [...nodes.values(), ...boxes];
  return {
    width: Math.ceil(Math.max(...all.map((b) => b.x + b.w)) + PAD),
    height: Math.ceil(Math.max(...all.map((b) => b.y + b.h)) + PAD),
    nodes: [...nodes.values()],
    edges,
  };
}
