// npm run bench:forecast — Bearing's forecast beside Theta, a damped trend and the seasonal naive
// on the tourism competition's 366 and the hospital set's 767 monthly series, or any file of monthly
// series (`--data file.csv`, a Monash archive `.tsf`, or M4's own `Monthly-train.csv`; goals due 6,
// 12, 18 months on). Prints a table and writes bench/forecast-results.json.
import { existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { benchArgs } from './args.ts';
import { csvMonthly, hospitalMonthly, type RealSeries, tourismMonthly } from './forecastData.ts';
import { isM4, m4Files } from './forecastM4.ts';
import { peers } from './forecastPeers.ts';
import { aimsOf } from './forecastAims.ts';
import { cells, drawn, readHead, separatorOf } from './forecastSeries.ts';
import { tsfMonthly } from './forecastTsf.ts';
import { type Method, type Score, scoreMethod } from './forecastScore.ts';
import { forecastSpeed } from './forecastSpeed.ts';
import { sharedShift } from './forecastShift.ts';
import { uncertainty } from './forecastUncertainty.ts';

const USAGE = `npm run bench:forecast -- [options]

Bearing's forecast beside Theta, textbook Theta, a damped trend and the seasonal naive on monthly
series whose future is known: goals due 6, 12 and 18 months after each history, targets 0.9–1.2 ×
the last value, scored against what happened (ECE, Brier, sMAPE, 95% band held, on course met).

  --data SETS      comma-separated: tourism, hospital (shipped), or files of monthly series: a long
                   CSV (series,month,value or unique_id,ds,y), a month column and one column a
                   series, one series a row (Series,N,NF,…), a Monash .tsf, or M4's own
                   Monthly-train.csv (default: tourism,hospital). Months as 2001-05, 2001-05-31,
                   2001/5, 2001M05, 2001 May, May 2001 or 1/31/2001 (when the column tells
                   the day from the month); commas, semicolons or tabs
  --future FILE    M4's Monthly-test.csv (default: found beside the train file, or Test/ beside it)
  --info FILE      M4's M4-info.csv, for each series' category (default: found beside the train file)
  --sample N       score N series of each set, drawn by a fixed seed (the same ones every run)
  --back MONTHS    cut-offs moved back, comma-separated, e.g. 0,12,24 (default: 0)
  --only METHODS   comma-separated: bearing, theta, thetaf, damped, seasonal-naive
  --bins           print each method's calibration bins
  --out FILE       where to write the figures (default: bench/forecast-results.json)
  -h, --help       this text`;
const { values: args, fail } = benchArgs(USAGE, {
  only: { type: 'string' },
  bins: { type: 'boolean', default: false },
  data: { type: 'string', default: 'tourism,hospital' },
  // Cut-offs moved back this many months (comma-separated): the same goals from earlier origins,
  // so a shock common to every series after one cut-off weighs as one period among several.
  back: { type: 'string', default: '0' },
  out: { type: 'string', default: 'bench/forecast-results.json' },
  // M4's own files: the rows that followed each train row, and each series' category (found beside
  // the train file, as M4 lays them out, when not given).
  future: { type: 'string' },
  info: { type: 'string' },
  // Score this many series drawn from each set (the same ones every run): M4 has 48,000 monthly.
  sample: { type: 'string' },
});

const DATA: Record<string, { label: string; load: () => RealSeries[] }> = {
  tourism: { label: 'tourism competition, 366 monthly series', load: tourismMonthly },
  hospital: { label: 'hospital patient counts, 767 monthly series', load: hospitalMonthly },
};
const methods: Record<string, Method> = peers();
/** A Monash archive file, gzipped or not (tsfMonthly); any other file is read as a CSV. */
const TSF = /\.tsf(\.gz)?$/i;
const all: Record<string, unknown> = {};
/** Months of history a series needs to be scored (three years: a yearly cycle can be tested). */
const MIN_HISTORY = 36;
/** Each series cut `back` months earlier: its history shortened, its 18 months to come shifted with it. */
const cutBack = (series: RealSeries[], back: number): RealSeries[] =>
  series
    .filter((s) => s.history.length - back >= MIN_HISTORY)
    .map((s) => {
      const all = [...s.history, ...s.future];
      const end = s.history.length - back;
      return { ...s, history: all.slice(0, end), future: all.slice(end, end + 18), back };
    });
const backs = args.back!.split(',').map(Number);
if (!backs.every((b) => Number.isInteger(b) && b >= 0))
  fail(`--back is "${args.back}" (expected whole numbers of months ≥ 0, comma-separated)`);
const unknown = (args.only ?? '').split(',').filter((n) => n && !(n in methods));
if (unknown.length) fail(`--only names ${unknown.join(', ')} (the methods are ${Object.keys(methods).join(', ')})`);
const m4Given = { future: args.future, info: args.info };
const sample = args.sample === undefined ? undefined : Number(args.sample);
if (sample !== undefined && !(Number.isInteger(sample) && sample > 0))
  fail(`--sample is "${args.sample}" (expected a whole number of series above 0)`);
for (const key of args.data!.split(',')) {
  // Any other key is a file of monthly series: a Monash archive .tsf (tsfMonthly) or a CSV (csvMonthly,
  // which also reads M4's own layout with its test and info files).
  const file = !(key in DATA);
  DATA[key] ??= {
    label: basename(key),
    load: () => (TSF.test(key) ? tsfMonthly(key) : csvMonthly(key, m4Given)),
  };
  const m4 = file && isM4(headerOf(key));
  if ((args.future || args.info) && !m4)
    fail(`--future and --info go with M4's own train file (a header V1, V2, …); ${basename(key)} is not one`);
  if (m4) {
    const { future, info } = m4Files(key, m4Given);
    console.log(
      `${basename(key)} is M4's layout: futures from ${future ? basename(future) : "each row's last 18 values"}` +
        `, categories from ${info ? basename(info) : 'nowhere (no M4-info.csv beside it)'}`,
    );
  }
  const whole = readSet(key);
  const loaded = drawn(whole, sample);
  if (loaded.length < whole.length)
    console.log(`${loaded.length} of ${whole.length} series drawn (--sample; the same ones every run)`);
  const series = backs.flatMap((b) => cutBack(loaded, b));
  if (backs.length > 1 || backs[0] !== 0) console.log(`cut-offs moved back ${backs.join(', ')} months`);
  const kept = new Set(series.map((s) => s.id)).size;
  if (!kept) nothingToScore(DATA[key]!.label, loaded, Math.max(...backs));
  const left = loaded.length - kept;
  console.log(
    `\n${DATA[key]!.label}: ${kept} of ${loaded.length} series scored` +
      (left ? ` (${left} with under ${MIN_HISTORY} months of history before the cut-off left out)` : ''),
  );
  all[key] = { label: DATA[key]!.label, series: series.length, ...run(series) };
}
const speed = await forecastSpeed(tourismMonthly());
console.log(
  `\nspeed: 1,000 goals read in ${speed.heading_1000_goals_36m_s!.toFixed(2)} s (36 months of history each), ` +
    `${speed.heading_1000_goals_120m_s!.toFixed(2)} s (120 months); a goal page's backtest ` +
    `${Math.round(speed.backtest_36m_ms!)} ms / ${Math.round(speed.backtest_120m_ms!)} ms`,
);
all.speed = speed;
writeFileSync(args.out!, `${JSON.stringify(all, null, 2)}\n`);

/**
 * A large set (M4's 48,000) takes minutes a method: after the first 2 s, where it has got to, on
 * stderr every 2 s (on a terminal, one line rewritten), cleared when the method's figures print.
 */
function progressOf(name: string, started: number, what = 'series') {
  let shown = started;
  const tty = process.stderr.isTTY;
  return (done: number, of: number) => {
    const now = performance.now();
    if (now - shown < 2000) return;
    shown = now;
    const line = `${name}: ${done.toLocaleString('en')} of ${of.toLocaleString('en')} ${what}`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
}

/**
 * A set none of whose series is long enough stops the run (exit 1, nothing written) rather than print
 * a table of NaN: each series needs MIN_HISTORY months before its cut-off and 18 after it.
 */
function nothingToScore(label: string, loaded: RealSeries[], back: number): never {
  const longest = loaded.reduce((m, s) => Math.max(m, s.history.length), 0);
  console.error(
    `error: ${label}: no series to score. Each needs ${MIN_HISTORY} months of history before the cut-off` +
      `${back ? ` (moved back up to ${back} months)` : ''} and 18 after it; ` +
      (loaded.length
        ? `the longest of its ${loaded.length} series has ${longest} months before its last 18`
        : 'it holds none'),
  );
  process.exit(1);
}

/** A set's series; a file that cannot be read stops the run with its own message (file and line). */
function readSet(key: string): RealSeries[] {
  try {
    return DATA[key]!.load();
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    process.exit(1);
  }
}

/** A CSV's header, lower-cased and unquoted (the first 64 kB: M4's header is 2,795 names). */
function headerOf(file: string): string[] {
  if (TSF.test(file) || !existsSync(file)) return []; // a missing file is reported when read
  const head = readHead(file, 65_536).split(/\r?\n/)[0]!;
  return cells(head, separatorOf(head)).map((c) => c.toLowerCase());
}

function run(series: RealSeries[]) {
  const results: Record<string, Omit<Score, 'detail'> & { seconds: number }> = {};
  const detail: Record<string, Score['detail']> = {};
  for (const [name, method] of Object.entries(methods)) {
    if (args.only && !args.only.split(',').includes(name)) continue;
    const t0 = performance.now();
    const { detail: goals, ...score } = scoreMethod(series, method, progressOf(name, t0));
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    detail[name] = goals;
    results[name] = { ...score, seconds: (performance.now() - t0) / 1000 };
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.log(
      `${name.padEnd(16)} ECE ${score.ece.toFixed(3)}  Brier ${score.brier.toFixed(3)}  ` +
        `sMAPE ${pct(score.smape / 100)}  ` +
        `cover95 ${pct(score.coverage95)} (${Object.entries(score.coverageByGroup)
          .map(([g, c]) => `${g} ${pct(c)}`)
          .join(', ')})  on-course met ${pct(score.onCourseMet)} of ${score.onCourse}  ` +
        `below 0 ${pct(score.belowZero)}  ${results[name]!.seconds.toFixed(1)} s`,
    );
    if (args.bins) console.log(`   ${score.bins.map((b) => `${b.n}:${b.p.toFixed(2)}/${b.met.toFixed(2)}`).join(' ')}`);
  }
  if (!detail.bearing) return { results };
  const aims = aimsOf(results.bearing!, results.theta);
  console.log(
    `  issue #26's aims for bearing: ${aims.map((a) => `${a.aim}: ${a.met ? 'yes' : 'NO'} (${a.value})`).join('; ')}`,
  );
  // 95% intervals, whole series resampled (bench/forecastUncertainty.ts).
  const u = uncertainty(detail, 'bearing', progressOf('intervals', performance.now(), 'resamples'));
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  const i3 = (x: { low: number; high: number }) => `${x.low.toFixed(3)}–${x.high.toFixed(3)}`;
  const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
  console.log(
    `  95% intervals, whole series resampled ${u.resamples} times: ${Object.keys(detail)
      .map((n) => `${n} ECE ${i3(u.ece[n]!)} Brier ${i3(u.brier[n]!)}`)
      .join('; ')}`,
  );
  for (const [n, d] of Object.entries(u.brierDifference))
    console.log(`  Brier bearing − ${n}: ${signed(d.value)} (${signed(d.low)} to ${signed(d.high)})`);
  console.log(
    `  ECE a perfectly calibrated forecaster would show on these goals: ${u.calibratedEce.mean.toFixed(3)} ` +
      `(95th percentile ${u.calibratedEce.p95.toFixed(3)})`,
  );
  // How much of each method's ECE is the period's (bench/forecastShift.ts).
  const shift = Object.fromEntries(Object.entries(detail).map(([n, goals]) => [n, sharedShift(goals)]));
  console.log(
    `  share met − mean chance, by cut-off (months back; a calibrated forecaster stays within ` +
      `±${u.calibratedGap.toFixed(3)}): ${Object.entries(shift)
        .map(
          ([n, s]) =>
            `${n} ${Object.entries(s.gap)
              .map(([c, g]) => `${c}: ${signed(g)}`)
              .join(', ')}`,
        )
        .join('; ')}`,
  );
  console.log(
    `  ECE with each cut-off's shared gap taken out: ${Object.entries(shift)
      .map(([n, s]) => `${n} ${s.eceWithin.toFixed(3)}`)
      .join(', ')} (a calibrated forecaster ${u.calibratedEceWithin.mean.toFixed(3)}, ` +
      `95th percentile ${u.calibratedEceWithin.p95.toFixed(3)})`,
  );
  return { results, aims, uncertainty: u, sharedShift: shift };
}
