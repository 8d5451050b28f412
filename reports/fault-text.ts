/**
 * Words for faults: a short label for chart annotations and a phrase for the
 * verdict sentence, both built from the normalized fault alone.
 */
import type { Fault } from '../sim/scenario/types.js';
import { formatDuration, formatNumber, formatPercent } from './format.js';

/**
 * What a latency, errors or pause fault hits: the service (`api`), one replica
 * (`api[2]`), some replicas (`2 replicas of api`, `25% of api's replicas`),
 * or the work of some operation keys (`api for key 0`).
 */
export function faultWhere(f: Fault & { kind: 'latency' | 'errors' | 'pause' | 'crash' }): string {
  // A latency fault on keys (they exclude replicas): `api for key 0`, `api for keys 0–9`.
  if (f.kind === 'latency' && f.keys !== undefined) {
    const k = f.keys;
    return `${f.target} for ${k.from === k.to ? `key ${k.from}` : `keys ${k.from}–${k.to}`}`;
  }
  const p = f.replicas;
  // A crash names every replica when it names none (normalize.ts): that reads as the service.
  if (p === undefined || (f.kind === 'crash' && p.kind === 'share' && p.share === 1)) return f.target;
  switch (p.kind) {
    case 'index':
      return `${f.target}[${p.index}]`;
    case 'count':
      return p.count === 1 ? `1 replica of ${f.target}` : `${formatNumber(p.count)} replicas of ${f.target}`;
    case 'share':
      return `${formatPercent(p.share)} of ${f.target}'s replicas`;
  }
}

function signed(n: number): string {
  return n >= 0 ? `+${formatNumber(n)}` : `−${formatNumber(-n)}`;
}

/**
 * What the fault changes, without its target: `+200ms`, `×3`, `50% errors`,
 * `−2 instances`; a size that ramps reads from where it starts to its top,
 * and how long it takes: `×1 → ×3 over 5m`.
 */
function faultEffect(f: Fault): string {
  const top = topEffect(f);
  if (f.ramps === undefined) return top;
  const from = topEffect(rampStart(f));
  const over = Math.max(...f.ramps.map((r) => r.over));
  return `${from} → ${top} over ${formatDuration(over)}`;
}

/** Fault `f` with each ramped size where its ramp starts. */
function rampStart(f: Fault): Fault {
  const start: Record<string, unknown> = { ...f };
  for (const r of f.ramps ?? []) start[r.field] = r.from;
  return start as unknown as Fault;
}

function topEffect(f: Fault): string {
  switch (f.kind) {
    case 'latency': {
      const parts: string[] = [];
      if (f.multiply !== 1) parts.push(`×${formatNumber(f.multiply)}`);
      if (f.add !== 0) parts.push(`${f.add >= 0 ? '+' : '−'}${formatDuration(Math.abs(f.add))}`);
      return parts.join(' ') || '+0ms';
    }
    case 'errors':
      return `${formatPercent(f.rate)} errors`;
    case 'capacity': {
      const parts: string[] = [];
      if (f.instances !== 0) parts.push(`${signed(f.instances)} instances`);
      if (f.workers !== 0) parts.push(`${signed(f.workers)} workers`);
      return parts.join(', ') || 'no change';
    }
    case 'traffic':
      return `×${formatNumber(f.multiply)}`;
    case 'pause':
      return formatDuration(f.for);
    case 'cacheFlush':
      return '';
    case 'link':
      return linkEffect(f);
    case 'crash':
      return `down ${formatDuration(f.for)}`;
    case 'burst':
      return burstEffect(f);
  }
}

/**
 * A short label for a chart annotation, e.g. `latency +200ms on gateway`,
 * `traffic ×3 from users`, `cache flush on api->db`, `burst +500 ops from users`.
 */
export function faultLabel(f: Fault): string {
  switch (f.kind) {
    case 'latency':
      return `latency ${faultEffect(f)} on ${faultWhere(f)}`;
    case 'errors':
      return `${faultEffect(f)} on ${faultWhere(f)}`;
    case 'capacity':
      return `capacity ${faultEffect(f)} on ${f.target}`;
    case 'traffic':
      return `traffic ${faultEffect(f)} from ${f.target}`;
    case 'pause':
      return `pause of ${faultWhere(f)}`;
    case 'cacheFlush':
      return `cache flush on ${f.target}`;
    case 'link':
      return `link ${faultEffect(f)} on ${f.target}`;
    case 'crash':
      return `crash of ${faultWhere(f)}`;
    case 'burst':
      return `burst ${faultEffect(f)} from ${f.target}`;
  }
}

/**
 * A shorter label for a crowded chart: the target first, then the effect,
 * e.g. `db +200ms`, `db 50% errors`, `users ×3`, `api paused`, `api->db flush`.
 */
export function faultShortLabel(f: Fault): string {
  switch (f.kind) {
    case 'latency':
    case 'errors':
      return `${shortWhere(f)} ${faultEffect(f)}`;
    case 'capacity':
    case 'traffic':
      return `${f.target} ${faultEffect(f)}`;
    case 'pause':
      return `${shortWhere(f)} paused`;
    case 'cacheFlush':
      return `${f.target} flush`;
    case 'link':
      return `${f.target} ${faultEffect(f)}`;
    case 'crash':
      return `${shortWhere(f)} crash`;
    case 'burst':
      return `${f.target} ${faultEffect(f)}`;
  }
}

/** A link fault's effect: `partitioned`, or its delay and loss, e.g. `+50ms, 10% lost`. */
export function linkEffect(f: Fault & { kind: 'link' }): string {
  if (f.loss >= 1) return 'partitioned';
  const parts: string[] = [];
  if (f.delay !== 0) parts.push(`+${formatDuration(f.delay)}`);
  if (f.loss !== 0) parts.push(`${formatPercent(f.loss)} lost`);
  return parts.join(', ') || 'no change';
}

/** A burst's effect: its extra operations, e.g. `+500 ops`. */
function burstEffect(f: Fault & { kind: 'burst' }): string {
  return `+${formatNumber(f.count)} op${f.count === 1 ? '' : 's'}`;
}

/** {@link faultWhere} in a few words: `api`, `api[2]`, `2 of api`, `25% of api`. */
function shortWhere(f: Fault & { kind: 'latency' | 'errors' | 'pause' | 'crash' }): string {
  const p = f.replicas;
  if (p === undefined || p.kind === 'index' || faultWhere(f) === f.target) return faultWhere(f);
  return `${p.kind === 'count' ? formatNumber(p.count) : formatPercent(p.share)} of ${f.target}`;
}

/**
 * Below this factor, with nothing added, a latency fault reads as a slowdown
 * rather than a spike: ×1.1 is not what anyone calls a spike.
 */
export const SPIKE_FACTOR = 2;

/** A latency fault that only multiplies service time by less than {@link SPIKE_FACTOR}. */
function isMildSlowdown(f: Fault & { kind: 'latency' }): boolean {
  return f.add === 0 && f.multiply < SPIKE_FACTOR;
}

/**
 * The fault as a noun phrase for a sentence, e.g. `the latency spike on
 * gateway (+200ms for 20s)`, `the traffic surge from users (×3 for 30s)`, or
 * for a latency that ramps `the latency creep on db (+0ms → +400ms over 45m for 1h)`.
 */
export function faultPhrase(f: Fault): string {
  const lasting = f.for > 0 ? ` for ${formatDuration(f.for)}` : '';
  switch (f.kind) {
    case 'latency':
      return `the ${f.ramps !== undefined ? 'latency creep' : isMildSlowdown(f) ? 'slowdown' : 'latency spike'} on ${faultWhere(f)} (${faultEffect(f)}${lasting})`;
    case 'errors':
      return `the error burst on ${faultWhere(f)} (${faultEffect(f)}${lasting})`;
    case 'capacity':
      return `the capacity loss on ${f.target} (${faultEffect(f)}${lasting})`;
    case 'traffic':
      return `the traffic ${f.multiply >= 1 ? 'surge' : 'drop'} from ${f.target} (${faultEffect(f)}${lasting})`;
    case 'pause':
      return `the ${formatDuration(f.for)} pause of ${faultWhere(f)}`;
    case 'cacheFlush':
      return `the cache flush on ${f.target}`;
    case 'link':
      return `the ${f.loss >= 1 ? 'partition' : 'link fault'} on ${f.target} (${faultEffect(f)}${lasting})`;
    case 'crash':
      return `the crash of ${faultWhere(f)} (${faultEffect(f)} before restarting)`;
    case 'burst':
      return `the burst from ${f.target} (${faultEffect(f)}${f.for > 0 ? ` within ${formatDuration(f.for)}` : ' at once'})`;
  }
}

/** End of the fault's window in seconds (its start for an instantaneous fault). */
export function faultEnd(f: Fault): number {
  return f.at + f.for;
}

/** The fault whose window ends last (the first of those written, on a tie), or `undefined` without faults. */
export function lastFault(faults: readonly Fault[]): Fault | undefined {
  let last: Fault | undefined;
  for (const f of faults) if (last === undefined || faultEnd(f) > faultEnd(last)) last = f;
  return last;
}
