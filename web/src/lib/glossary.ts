// The statistical words the pages use, each in one line a marketer or a CFO can act on. Shown on
// hover or focus where the word appears (components/Term.tsx) and all together at /glossary.
export interface GlossaryEntry {
  term: string;
  short: string;
}

export const GLOSSARY = {
  interval: {
    term: '95% interval',
    short:
      'The range the true value lies in 19 times out of 20, given the data; an interval that includes zero ' +
      'means the data cannot tell the effect apart from none.',
  },
  'adjusted-lift': {
    term: 'adjusted lift',
    short:
      'How much the outcome changed for the customers a channel reached, against similar customers it did not ' +
      'reach (same segment, region, signup month, earlier activity).',
  },
  att: {
    term: 'effect on the reached (ATT)',
    short:
      'The average treatment effect on the treated: the change among those the channel actually reached, not ' +
      'what it would do to everyone.',
  },
  naive: {
    term: 'naive difference',
    short:
      'Reached minus not reached, with nothing adjusted: it mixes the channel’s effect with who the channel ' +
      'tends to reach.',
  },
  'q-value': {
    term: 'q-value',
    short:
      'A p-value corrected for testing every channel on the page at once; at or below 0.05 the channel is told ' +
      'apart from no effect with at most 5% false discoveries.',
  },
  'e-value': {
    term: 'E-value',
    short:
      'How strongly a hidden factor would have to be tied to both reach and the outcome to explain the lift ' +
      'away; larger is sturdier.',
  },
  ess: {
    term: 'overlap (ESS)',
    short:
      'The effective sample size: how many comparable customers the comparison really rests on once customers ' +
      'with no look-alikes are weighed down.',
  },
  placebo: {
    term: 'placebo',
    short:
      'The same comparison on something the channel cannot have caused (activity before it could act); a ' +
      'placebo that moves means the lift is biased.',
  },
  roi: {
    term: 'ROI / return per $1',
    short: 'What the KPI gained per unit of spend over the period, on average across all the spend.',
  },
  mroi: {
    term: 'mROI',
    short:
      'Marginal return: what the next unit of spend would add at today’s level; where it is below the average, ' +
      'the channel is saturating.',
  },
  'carry-over': {
    term: 'carry-over',
    short:
      'The share of a week’s effect that lasts into the next week (adstock): TV keeps working after it airs. ' +
      'Delayed: the effect peaks some weeks after the spend.',
  },
  saturation: {
    term: 'saturation',
    short: 'Diminishing returns: each extra dollar adds less than the one before once a channel is well funded.',
  },
  pooled: {
    term: 'pooled',
    short:
      'Two measurements of the same return that agree, combined by how precise each is: the interval narrows. ' +
      'Measurements that disagree are never pooled.',
  },
  'arrival-probability': {
    term: 'chance of arriving',
    short:
      'How often, across the forecast’s range of futures, the due period meets the target; on course at 70% or ' +
      'more, off course at 30% or less.',
  },
  'forecast-course': {
    term: 'forecast course',
    short:
      'The change a month the forecast expects from the level now to the due date (its middle path, with its 95% ' +
      'range): the “doing” on a goal card, and what the chance of arriving is read from.',
  },
  'pace-needed': {
    term: 'pace needed',
    short:
      'The change a month that would bring the forecast’s level now to the target by the due date. A course at ' +
      'or past it means the forecast’s middle path meets the target.',
  },
  heading: {
    term: 'heading (last 12 months)',
    short:
      'The trend of the last 12 months: the median of the slopes between every two of them, so one odd month ' +
      'barely moves it. Context for the reader; the forecast weighs the whole history.',
  },
  'left-out': {
    term: 'left out (too few rows)',
    short:
      'A month holding fewer rows than 30, or a fifth of a usual month (the goal’s min_n if set): drawn apart, ' +
      'but it neither sets the position nor feeds the forecast.',
  },
  backtest: {
    term: 'backtest',
    short:
      'The forecast run from earlier dates on the goal’s own past and scored against what then happened: how far ' +
      'to trust it.',
  },
} satisfies Record<string, GlossaryEntry>;

export type TermId = keyof typeof GLOSSARY;
