import type {
  Campaign,
  CampaignStatus,
} from '@nhi-governance/plugin-nhi-common';
import { day } from '../day';

export type CampaignAction = 'open' | 'close' | 'cancel';

/** What each action's button and confirmation say. */
export const ACTION_TEXT: Record<
  CampaignAction,
  {
    label: string;
    title: string;
    done: string;
    describe: (c: Campaign) => string;
  }
> = {
  open: {
    label: 'Open',
    title: 'Open the campaign?',
    done: 'opened',
    describe: c =>
      `Every reviewer of ${
        c.period
      } is asked to decide on their identities by ${day(c.dueAt)}.`,
  },
  close: {
    label: 'Close',
    title: 'Close the campaign?',
    done: 'closed',
    describe: c =>
      `${
        c.period
      } ends now: undecided items (${c.progress.pending.toLocaleString(
        'en-US',
      )} pending) stay undecided, recorded as such.`,
  },
  cancel: {
    label: 'Cancel campaign',
    title: 'Cancel the campaign?',
    done: 'cancelled',
    describe: c =>
      `${c.period} is called off: no further decisions can be made in it. Decisions already made are kept in the ledger.`,
  },
};

/** The actions a campaign in each status allows. */
export const ACTIONS_BY_STATUS: Record<CampaignStatus, CampaignAction[]> = {
  draft: ['open', 'cancel'],
  open: ['close', 'cancel'],
  closed: [],
  cancelled: [],
};
