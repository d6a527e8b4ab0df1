// The pure computations that run off the server's event loop (metrics/offload/pool.ts): each
// takes plain data and returns plain data, so it crosses a worker boundary by structured clone.
// A task that throws a BearingError keeps its code on the other side.
import { type ChannelAnalysisInput, analyseChannels } from '../channels/analyse.ts';
import { parseGoalsText } from '../goals.ts';
import { assessGoal } from '../heading/assess.ts';
import { backtest } from '../heading/backtest.ts';
import type { MixInput } from '../mix/fit.ts';
import type { GeoMixInput } from '../mix/geo.ts';
import { fitGeoMixModel } from '../mix/geoModel.ts';
import { fitMixModel, type MixOptions } from '../mix/model.ts';
import { type OptimizeRequest, optimizeBudget } from '../mix/optimize.ts';
import { type PlanInput, planBudget } from '../budget/plan.ts';

type Progress = (share: number) => void;

export const TASKS = {
  /** The media-mix model with its bootstrap (seconds to minutes). */
  'mix-fit': (input: { model: MixInput; options: Omit<MixOptions, 'progress'> }, progress: Progress) =>
    fitMixModel(input.model, { ...input.options, progress }),
  /** The media-mix model across geos, with its geo bootstrap (seconds to minutes). */
  'mix-geo-fit': (input: { model: GeoMixInput; options: { seed?: number; draws?: number } }, progress: Progress) =>
    fitGeoMixModel(input.model, { ...input.options, progress }),
  'mix-optimize': (input: OptimizeRequest) => optimizeBudget(input),
  /** A budget plan over a period: a scenario or an allocation, with intervals from every draw. */
  'budget-plan': (input: PlanInput) => planBudget(input),
  /** Every channel's doubly robust comparison from the cohort cells the database returned. */
  'channel-rows': (input: ChannelAnalysisInput) => analyseChannels(input),
  /** Goal assessments, many in one message (the heading of 1,000 goals is one task, not 1,000). */
  assess: (inputs: Array<Parameters<typeof assessGoal>>) => inputs.map((args) => assessGoal(...args)),
  backtest: (input: Parameters<typeof backtest>) => backtest(...input),
  /** A large goals file's YAML, parsed and checked (21,060 goals: 2 s). */
  'goals-parse': (input: { file: string; text: string }) => parseGoalsText(input.file, input.text),
};

export type TaskName = keyof typeof TASKS;
export type TaskInput<K extends TaskName> = Parameters<(typeof TASKS)[K]>[0];
export type TaskOutput<K extends TaskName> = Awaited<ReturnType<(typeof TASKS)[K]>>;
