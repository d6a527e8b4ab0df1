// The goals file as the server reads it: parsed once per version on disk, and a large one (64 KB,
// about 600 goals, or more) by a worker, so the first request after an edit does not hold every
// other request while its YAML is parsed (21,060 goals: 2 s).
import { readGoalsWith } from '../metrics/goals.ts';
import { offload } from '../metrics/offload/pool.ts';
import type { AppDeps } from './context.ts';

export const serverGoals = (deps: AppDeps) =>
  readGoalsWith(deps.goalsFile, (file, text) => offload('goals-parse', { file, text }));
