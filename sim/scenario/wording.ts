/**
 * Helpers for wording messages: "did you mean" suggestions by edit distance,
 * and values rendered the way a user would recognise them from their YAML.
 */

/**
 * Edit distance between two strings, counting an insertion, a deletion, a
 * substitution or a swap of two adjacent letters as one edit (optimal string
 * alignment): `egde` is one edit from `edge`, as a typist would count it.
 */
export function editDistance(a: string, b: string): number {
  // Three rows: the one before the previous is needed for a swap.
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] ?? 0) + 1);
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate closest to `word`, if close enough to be a likely typo: at most
 * a third of the word's length in edits (at least 1, at most 3), ignoring case.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // Long garbage cannot be a typo of a short key, and comparing it would cost time.
  if (word.length === 0 || word.length > 64) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d <= limit && d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/** ` Did you mean "x"?` when some candidate is close to `word`, else an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const best = closest(word, candidates);
  return best === undefined ? '' : ` Did you mean "${best}"?`;
}

/** A value as a user would recognise it from their YAML, shortened to one line. */
export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
    return String(v);
  }
  if (typeof v === 'string') {
    const s = JSON.stringify(v);
    return s.length > 42 ? `${s.slice(0, 40)}…"` : s;
  }
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object') return `a map with keys ${list(Object.keys(v).slice(0, 5), 'and')}`;
  return typeof v;
}

/** `"a", "b" or "c"`. */
export function list(items: readonly string[], conj = 'or'): string {
  const q = items.map((s) => `"${s}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} ${conj} ${q[q.length - 1] ?? ''}`;
}

/** The indefinite article for `word`: `an` before a vowel letter (`an edge`), else `a` (`a service`). */
export function article(word: string): 'a' | 'an' {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
