import { InputError } from '@backstage/errors';
import type { EventBatchProblem } from '@nhi-governance/plugin-nhi-common';

/**
 * A refused event batch: a 400 (it is an InputError, named `InputError`) that also carries
 * every problem by the index of the item, so that a sender can fix its batch item by item.
 * Reasons name the field, never the value.
 */
export class EventBatchError extends InputError {
  readonly problems: Array<{ index: number; reason: string }>;

  constructor(message: string, problems: EventBatchProblem[]) {
    super(message);
    this.problems = problems.map(({ index, reason }) => ({ index, reason }));
  }
}
