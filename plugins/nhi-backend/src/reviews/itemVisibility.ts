import { NotFoundError } from '@backstage/errors';
import { Actor, actsFor } from './actor';

/** Whom an item concerns: the group it is assigned to, its backup, a group it is offered to. */
export interface ItemParties {
  assignee: string;
  backupOwner?: string;
  reassignTo?: string;
}

/**
 * Whether the caller may know the item exists: security (nhi.admin.read) sees every item,
 * anyone else those that concern their own groups. Reads and writes use this one rule, so a
 * decision on an item the caller may not see answers exactly as for an item that is not there.
 */
export const maySeeItem = (
  actor: Actor,
  seesEveryItem: boolean,
  item: ItemParties,
) =>
  seesEveryItem ||
  actsFor(actor, [item.assignee, item.backupOwner, item.reassignTo]);

/** The one answer for an item that does not exist and for one the caller may not see. */
export const noSuchItem = (id: string, where = '') =>
  new NotFoundError(`${where}No review item ${id}`);
