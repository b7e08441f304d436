/** The ledger subject of what happens to a campaign as a whole (items are filed under their identity). */
export const campaignSubject = (id: string) => `campaign:${id}`;
