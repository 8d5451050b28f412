/**
 * `npm run bench [-- --simpy] [-- --runs N]`: how fast loopsim runs, as
 * ratios against the reference implementations measured on the same machine
 * in the same session (docs/performance.md explains the method).
 *
 * 1. Micro-benchmarks (tinybench): event heap, random draw, histogram record.
 * 2. Whole processes, alternating with the JavaScript peer, median of N runs:
 *    M/M/1 with 10^7 requests, and the peer's retry model as a scenario file,
 *    every metric recorded, summary.json and timeseries.csv written.
 * 3. The retry model against the peer's answer (attempts, goodput).
 * 4. SimPy 3 (measured with --simpy, when Python can import simpy; and
 *    against the SimPy figures in the peers' README).
 * 5. Memory: peak RSS of 10^7 vs 10^6 requests; bytes per queued request in a storm.
 * 6. Start-up: `loopsim validate`, `loopsim run` of a small scenario with its report.
 * 7. Scaling: 10^5, 10^6, 10^7 requests, and cost per event against pending events.
 *
 * Wall-clock timing lives here and only here: tests never assert on time.
 */
import { loadavg, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countIn, maxOf, runLoopsim, validateLoopsim, type CliRun } from './cli-run.js';
import { alternate, canMeasureMemory, fmtInt, fmtRate, median, table, type ProcessRun } from './measure.js';
import { runMicro } from './micro.js';
import { findSimpyPython, locatePeers, num, readmeSimpyRates, runPeer, type PeerRun } from './peers.js';
import { measurePendingScaling, measureSizeScaling } from './scaling.js';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
const WITH_SIMPY = args.includes('--simpy');

// dist/test/bench/index.js (or test/bench/index.ts under tsx) → the repository root.
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = HERE.includes(`${join('dist', 'test')}`) ? join(HERE, '..', '..', '..') : join(HERE, '..', '..');
const SC = 'test/bench/scenarios';

/** Targets of issue 7, checked at the end. */
const checks: { what: string; ok: boolean; detail: string }[] = [];
const check = (what: string, ok: boolean, detail: string): void => void checks.push({ what, ok, detail });

const medianOf = <T>(runs: readonly T[], f: (r: T) => number): number => median(runs.map(f));
const wall = (r: ProcessRun): number => r.wallS;
const mib = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(0)} MiB` : 'n/a');

function heading(s: string): void {
  console.log(`\n## ${s}\n`);
}

/** Requests a loopsim M/M/1 run completed: every response it recorded (warmup is 0). */
const served = (r: CliRun): number => r.summary.metrics['server.latency']?.['count'] ?? NaN;

async function main(): Promise<void> {
  console.log(
    `# loopsim benchmark\n\nnode ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(`runs per figure: ${RUNS} (median), alternating with the peers`);
  if (!canMeasureMemory) console.log('note: /usr/bin/time (Debian package `time`) is missing, so peak memory is not measured');

  heading('1. Micro-benchmarks (tinybench)');
  const micro = await runMicro();
  console.log(
    table(
      ['operation', 'ns/op'],
      micro.map(([n, ns]) => [n, ns.toFixed(1)]),
    ),
  );

  const peers = locatePeers(ROOT);
  if (peers === null) console.log('\nnote: ../shared/bench/peers not found beside the repository: peer comparisons are skipped');

  heading('2. Whole process against the JavaScript peer');
  // M/M/1: the three sizes for the scaling table, the 10^7 one alternating with the peer.
  const mm1: Record<string, CliRun[]> = {};
  for (const size of ['100k', '1m'] as const)
    mm1[size] = alternate(RUNS, [() => runLoopsim(ROOT, `${SC}/mm1-${size}.yaml`)])[0] as CliRun[];
  let peerMm1: PeerRun[] = [];
  if (peers !== null) {
    const [ls, pj] = alternate<CliRun | PeerRun>(RUNS, [
      () => runLoopsim(ROOT, `${SC}/mm1-10m.yaml`),
      () => runPeer(peers, 'js', 'mm1', ['10000000']),
    ]);
    mm1['10m'] = ls as CliRun[];
    peerMm1 = pj as PeerRun[];
  } else mm1['10m'] = alternate(RUNS, [() => runLoopsim(ROOT, `${SC}/mm1-10m.yaml`)])[0] as CliRun[];
  const big = mm1['10m'];
  const lsMm1Rate = medianOf(big, (r) => served(r) / r.wallS);

  let peerRetry: PeerRun[] = [];
  let lsRetry: CliRun[];
  if (peers !== null) {
    const [ls, pj] = alternate<CliRun | PeerRun>(RUNS, [
      () => runLoopsim(ROOT, `${SC}/retry-peer.yaml`),
      () => runPeer(peers, 'js', 'retry', []),
    ]);
    lsRetry = ls as CliRun[];
    peerRetry = pj as PeerRun[];
  } else lsRetry = alternate(RUNS, [() => runLoopsim(ROOT, `${SC}/retry-peer.yaml`)])[0] as CliRun[];
  const attempts = (r: CliRun): number => countIn(r, 'users.attempts', 1);
  const lsRetryRate = medianOf(lsRetry, (r) => attempts(r) / r.wallS);

  const rows: string[][] = [
    ['loopsim M/M/1 10^7 (whole process)', fmtInt(served(big[0] as CliRun)), medianOf(big, wall).toFixed(3), fmtRate(lsMm1Rate), ''],
    [
      'loopsim retry-peer.yaml (whole process)',
      fmtInt(attempts(lsRetry[0] as CliRun)),
      medianOf(lsRetry, wall).toFixed(3),
      fmtRate(lsRetryRate),
      '',
    ],
  ];
  if (peers !== null) {
    const pm = medianOf(peerMm1, (r) => num(r, 'customers_per_s'));
    const pr = medianOf(peerRetry, (r) => num(r, 'attempts_per_s'));
    const pmWhole = medianOf(peerMm1, (r) => num(r, 'n') / r.wallS);
    const prWhole = medianOf(peerRetry, (r) => num(r, 'attempts') / r.wallS);
    rows.push(
      [
        'js/mm1.js 10^7 (its loop)',
        fmtInt(num(peerMm1[0] as PeerRun, 'n')),
        medianOf(peerMm1, (r) => num(r, 'loop_s')).toFixed(3),
        fmtRate(pm),
        `loopsim ${((100 * lsMm1Rate) / pm).toFixed(0)}%`,
      ],
      [
        'js/mm1.js 10^7 (whole process)',
        '',
        medianOf(peerMm1, wall).toFixed(3),
        fmtRate(pmWhole),
        `loopsim ${((100 * lsMm1Rate) / pmWhole).toFixed(0)}%`,
      ],
      [
        'js/retry.js (its loop)',
        fmtInt(num(peerRetry[0] as PeerRun, 'attempts')),
        medianOf(peerRetry, (r) => num(r, 'loop_s')).toFixed(3),
        fmtRate(pr),
        `loopsim ${((100 * lsRetryRate) / pr).toFixed(0)}%`,
      ],
      [
        'js/retry.js (whole process)',
        '',
        medianOf(peerRetry, wall).toFixed(3),
        fmtRate(prWhole),
        `loopsim ${((100 * lsRetryRate) / prWhole).toFixed(0)}%`,
      ],
    );
    check(
      'M/M/1 10^7: loopsim >= 50% of js/mm1.js',
      lsMm1Rate >= 0.5 * pm,
      `${((100 * lsMm1Rate) / pm).toFixed(0)}% (whole process vs the peer's own loop rate)`,
    );
    check(
      'retry: loopsim >= 50% of js/retry.js',
      lsRetryRate >= 0.5 * pr,
      `${((100 * lsRetryRate) / pr).toFixed(0)}% (whole process vs the peer's own loop rate)`,
    );
  }
  console.log(table(['run', 'requests', 'wall s', 'rate', 'ratio'], rows));
  console.log('\nrequests: M/M/1 customers served; retry: attempts. Peer rates are what the peers print (their loop only);');
  console.log("loopsim's are whole processes: start-up, parsing, the run, summary.json and timeseries.csv.");

  heading('3. The retry model against the peer');
  const ls0 = lsRetry[0] as CliRun;
  const agree: string[][] = [
    ['attempts', fmtInt(attempts(ls0))],
    ['goodput, first 60 s', fmtInt(countIn(ls0, 'users.goodput', 1, 0, 60))],
    ['goodput, last 60 s', fmtInt(countIn(ls0, 'users.goodput', 1, 240, 300))],
    ['max queue', fmtInt(maxOf(ls0, 'server.queue.max'))],
  ];
  if (peers !== null) {
    const p0 = peerRetry[0] as PeerRun;
    ['attempts', 'goodput_first60', 'goodput_last60', 'max_queue'].forEach((k, i) => (agree[i] as string[]).push(fmtInt(num(p0, k))));
    const close = (a: number, b: number): boolean => Math.abs(a - b) <= Math.max(0.02 * Math.max(a, b), 50);
    check(
      'retry model agrees with the peer',
      close(attempts(ls0), num(p0, 'attempts')) &&
        close(countIn(ls0, 'users.goodput', 1, 0, 60), num(p0, 'goodput_first60')) &&
        close(countIn(ls0, 'users.goodput', 1, 240, 300), num(p0, 'goodput_last60')),
      'attempts and goodput in the first and last 60 s within 2% (different random streams)',
    );
  }
  console.log(table(['quantity', 'loopsim', ...(peers !== null ? ['js/retry.js'] : [])], agree));

  heading('4. SimPy 3');
  /** The 30x targets against SimPy's rates from `source`. */
  const checkAgainstSimpy = (source: string, mm1Rate: number, retryRate: number): void => {
    check(`M/M/1: loopsim >= 30x SimPy (${source})`, lsMm1Rate >= 30 * mm1Rate, `${(lsMm1Rate / mm1Rate).toFixed(0)}x`);
    check(`retry: loopsim >= 30x SimPy (${source})`, lsRetryRate >= 30 * retryRate, `${(lsRetryRate / retryRate).toFixed(0)}x`);
  };
  const py = WITH_SIMPY ? findSimpyPython() : null;
  if (!WITH_SIMPY) console.log('skipped (slow: about 2 minutes); run `npm run bench -- --simpy` to measure SimPy here.');
  else if (peers === null || py === null)
    console.log('skipped: SimPy 3 is not importable (Debian: apt-get install -y python3-simpy3) or the peers are missing.');
  else {
    const [sm, sr] = alternate(RUNS, [
      () => runPeer(peers, 'simpy', 'mm1', ['1000000'], py),
      () => runPeer(peers, 'simpy', 'retry', [], py),
    ]);
    const smRate = medianOf(sm as PeerRun[], (r) => num(r, 'customers_per_s'));
    const srRate = medianOf(sr as PeerRun[], (r) => num(r, 'attempts_per_s'));
    console.log(
      table(
        ['run', 'wall s', 'rate', 'loopsim is'],
        [
          [
            'SimPy mm1, 10^6 customers',
            medianOf(sm as PeerRun[], wall).toFixed(2),
            fmtRate(smRate),
            `${(lsMm1Rate / smRate).toFixed(0)}x faster`,
          ],
          ['SimPy retry', medianOf(sr as PeerRun[], wall).toFixed(2), fmtRate(srRate), `${(lsRetryRate / srRate).toFixed(0)}x faster`],
        ],
      ),
    );
    checkAgainstSimpy('measured here', smRate, srRate);
  }
  // The issue accepts SimPy's figures from the peers' README instead (their machine, not this one).
  const readme = peers === null ? null : readmeSimpyRates(peers);
  if (readme !== null) {
    console.log(
      `\nAgainst SimPy's figures in the peers' README (M/M/1 ${fmtRate(readme.mm1)}, retry ${fmtRate(readme.retry)}, on their machine): ` +
        `M/M/1 ${(lsMm1Rate / readme.mm1).toFixed(0)}x, retry ${(lsRetryRate / readme.retry).toFixed(0)}x.`,
    );
    checkAgainstSimpy("the peers' README figure", readme.mm1, readme.retry);
  }

  heading('5. Memory (peak RSS, whole process)');
  const rss = (runs: readonly ProcessRun[]): number => medianOf(runs, (r) => r.peakMiB);
  const calm = alternate(RUNS, [() => runLoopsim(ROOT, `${SC}/retry-calm.yaml`)])[0] as CliRun[];
  const queued = maxOf(ls0, 'server.queue.max');
  const perQueued = ((rss(lsRetry) - rss(calm)) * 1024 * 1024) / queued;
  console.log(
    table(
      ['run', 'peak RSS'],
      [
        ['M/M/1 10^5 requests', mib(rss(mm1['100k'] as CliRun[]))],
        ['M/M/1 10^6 requests', mib(rss(mm1['1m'] as CliRun[]))],
        ['M/M/1 10^7 requests', mib(rss(big))],
        ['retry-calm.yaml (no storm, idle baseline)', mib(rss(calm))],
        [`retry-peer.yaml (storm, ${fmtInt(queued)} queued)`, mib(rss(lsRetry))],
      ],
    ),
  );
  if (canMeasureMemory) {
    const growth = rss(big) / rss(mm1['1m'] as CliRun[]);
    console.log(
      `\n10^7 / 10^6 requests: ${growth.toFixed(2)}x; storm: ${perQueued.toFixed(0)} bytes per queued request above the baseline`,
    );
    check('peak RSS of 10^7 requests <= 1.2x that of 10^6', growth <= 1.2, `${growth.toFixed(2)}x`);
    check('storm: < 400 bytes per queued request', perQueued < 400, `${perQueued.toFixed(0)} bytes`);
  }

  heading('6. Start-up');
  const [val, typical, small] = alternate<ProcessRun>(RUNS, [
    () => validateLoopsim(ROOT, `${SC}/retry-calm.yaml`),
    () => runLoopsim(ROOT, `${SC}/retry-calm.yaml`, { report: true }),
    () => runLoopsim(ROOT, `${SC}/mm1-100k.yaml`, { report: true }),
  ]);
  const valS = medianOf(val as ProcessRun[], wall);
  const typicalS = medianOf(typical as ProcessRun[], wall);
  console.log(
    table(
      ['command', 'wall s'],
      [
        ['loopsim validate retry-calm.yaml', valS.toFixed(3)],
        ['loopsim run retry-calm.yaml (300 buckets, 216k requests; report included)', typicalS.toFixed(3)],
        ['loopsim run mm1-100k.yaml (1,112 buckets, 100k requests; report included)', medianOf(small as ProcessRun[], wall).toFixed(3)],
      ],
    ),
  );
  check('loopsim validate < 0.3 s', valS < 0.3, `${valS.toFixed(3)} s`);
  check('loopsim run of a small scenario, report included, < 1.5 s', typicalS < 1.5, `${typicalS.toFixed(3)} s (retry-calm.yaml)`);

  heading('7. Scaling');
  const sizes: [string, CliRun[]][] = [
    ['10^5', mm1['100k'] as CliRun[]],
    ['10^6', mm1['1m'] as CliRun[]],
    ['10^7', big],
  ];
  console.log(
    table(
      ['M/M/1 requests', 'events', 'wall s', 'ns/event (whole process, start-up included)'],
      sizes.map(([n, runs]) => {
        const ev = (runs[0] as CliRun).summary.events;
        const w = medianOf(runs, wall);
        return [n, fmtInt(ev), w.toFixed(3), ((w / ev) * 1e9).toFixed(0)];
      }),
    ),
  );
  const sizes2 = measureSizeScaling(ROOT, [`${SC}/mm1-100k.yaml`, `${SC}/mm1-1m.yaml`, `${SC}/mm1-10m.yaml`], 1);
  console.log('\nEngine only (in-process, start-up and outputs excluded), M/M/1 by length:\n');
  console.log(
    table(
      ['scenario', 'events', 'wall s', 'ns/event'],
      sizes2.map((r) => [r.file.replace(`${SC}/`, ''), fmtInt(r.events), r.wallS.toFixed(3), r.nsPerEvent.toFixed(0)]),
    ),
  );
  const scaling = measurePendingScaling([10, 1_000, 100_000], 1_000_000, RUNS);
  console.log('\nEngine only, 10^6 requests through M/M/inf, by events pending in the heap:\n');
  console.log(
    table(
      ['pending', 'events', 'wall s', 'ns/event'],
      scaling.map((r) => [fmtInt(r.pending), fmtInt(r.events), r.wallS.toFixed(3), r.nsPerEvent.toFixed(0)]),
    ),
  );

  heading('8. Every mechanism at once');
  // Breakers, pools, caches, CoDel, autoscaling, cold starts, degradation, budgets and a fault of every kind.
  const every = alternate(RUNS, [() => runLoopsim(ROOT, `${SC}/every-mechanism.yaml`)])[0] as CliRun[];
  const ev0 = every[0] as CliRun;
  const everyOps = countIn(ev0, 'web.offered', 1) + countIn(ev0, 'batch.offered', 1);
  const everyReqs = countIn(ev0, 'api.arrivals', 1) + countIn(ev0, 'cache-db.arrivals', 1) + countIn(ev0, 'db.arrivals', 1);
  const everyWall = medianOf(every, wall);
  console.log(
    table(
      ['scenario', 'operations', 'requests at services', 'events', 'wall s', 'requests/s', 'events/s'],
      [
        [
          'every-mechanism.yaml (whole process)',
          fmtInt(everyOps),
          fmtInt(everyReqs),
          fmtInt(ev0.summary.events),
          everyWall.toFixed(3),
          fmtRate(everyReqs / everyWall),
          fmtRate(ev0.summary.events / everyWall),
        ],
      ],
    ),
  );

  heading('Targets');
  console.log(
    table(
      ['target', 'met', 'figure'],
      checks.map((c) => [c.what, c.ok ? 'yes' : 'NO', c.detail]),
    ),
  );
}

await main();
