export { TEXT_LIMITS } from './limits';
export { textProblem, cleanText } from './screenText';
export type { ScreenTextOptions, CleanText } from './screenText';
export { isBlankText } from './isBlankText';
export {
  checkIsoDate,
  isoDateProblem,
  YEAR_RANGE_REASON,
  writtenDateExists,
} from './checkIsoDate';
export type { CheckIsoDateOptions, IsoDateCheck } from './checkIsoDate';
export { screenValue, describeValueProblems } from './screenValue';
export type {
  ScreenValueOptions,
  ScreenedValue,
  ValueProblem,
} from './screenValue';
export { textRule, notBlankRule, isoDateRule } from './zodRules';
