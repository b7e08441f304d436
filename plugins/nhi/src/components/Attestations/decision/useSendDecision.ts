import { useApi } from '@backstage/core-plugin-api';
import type {
  ReviewDecision,
  ReviewDecisionKind,
  ReviewItem,
} from '@nhi-governance/plugin-nhi-common';
import { nhiApiRef } from '../../../api';
import { DECISION_LABELS, shortRef } from '../helpers';
import { type DecisionFormValues, decisionFields } from './decisionRules';

/** Sends one decision (`decide`) or an all-or-nothing batch (`decideBulk`), with the success message. */
export function useSendDecision() {
  const nhiApi = useApi(nhiApiRef);
  return async (
    decision: ReviewDecisionKind,
    items: ReviewItem[],
    bulk: boolean,
    values: DecisionFormValues,
  ): Promise<{ result: ReviewDecision[]; message: string }> => {
    const justification = values.justification.trim();
    const result = bulk
      ? (
          await nhiApi.decideBulk({
            justification,
            decisions: items.map(item => ({
              itemId: item.id,
              ...decisionFields(decision, item, values),
            })),
          })
        ).decisions
      : [
          await nhiApi.decide(items[0].id, {
            ...decisionFields(decision, items[0], values),
            justification,
          }),
        ];
    return {
      result,
      message: `Decision recorded: ${DECISION_LABELS[decision]} for ${
        items.length === 1
          ? shortRef(items[0].identity)
          : `${items.length} identities`
      }`,
    };
  };
}
