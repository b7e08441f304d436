import type { RollupRowWrite } from '../../rollups/rollupFigures';
import type {
  RollupDimension,
  RollupFigures,
  RollupRow,
  TrendPoint,
} from '@nhi-governance/plugin-nhi-common';

export interface RollupStore {
  /** Replaces the current figures and the day's history point in one transaction. */
  replaceRollups(rows: RollupRowWrite[], day: string): Promise<void>;

  /** Records the day's trend point from the current figures. */
  recordRollupHistory(day: string): Promise<void>;

  /**
   * Moves the current figures by differences, inside the caller's transaction; the history
   * point of the day is rewritten by the next full recompute.
   */
  adjustRollups(differences: RollupRowWrite[]): Promise<void>;

  readRollups(
    dimension: RollupDimension,
  ): Promise<{ rows: RollupRow[]; total: RollupFigures }>;

  readTrend(
    dimension: RollupDimension,
    key: string,
    fromDay: string,
  ): Promise<TrendPoint[]>;
}
