import { foldStatusChanges } from './statusHistory';

const change = (subject: string, at: string, payload: object) => ({
  subject,
  recorded_at: at,
  payload: JSON.stringify(payload),
});

describe('foldStatusChanges', () => {
  const FROM = '2026-10-01T00:00:00.000Z';

  it('replays statuses and findings into the state at the start and the end of the period', () => {
    const histories = foldStatusChanges(
      [
        change('a', '2026-09-01T00:00:00.000Z', {
          rotation: { from: null, to: 'current' },
          usage: { from: null, to: 'active' },
          findingsOpened: [{ code: 'owner-missing' }],
        }),
        change('a', '2026-10-05T00:00:00.000Z', {
          rotation: { from: 'current', to: 'overdue' },
          findingsOpened: [{ code: 'rotation-overdue' }],
          findingsClosed: ['owner-missing'],
        }),
        change('b', '2026-10-06T00:00:00.000Z', {
          review: { from: null, to: 'never-reviewed' },
        }),
      ],
      FROM,
    );
    const a = histories.get('a')!;
    expect(a.atStart).toEqual({
      rotation: 'current',
      usage: 'active',
      open: new Map([['owner-missing', '2026-09-01T00:00:00.000Z']]),
    });
    expect(a.atEnd).toEqual({
      rotation: 'overdue',
      usage: 'active',
      open: new Map([['rotation-overdue', '2026-10-05T00:00:00.000Z']]),
    });
    // Unknown to the ledger when the period began: no status yet.
    expect(histories.get('b')!.atStart).toEqual({ open: new Map() });
    expect(histories.get('b')!.atEnd.review).toBe('never-reviewed');
  });

  it('reopens a finding when an exception expires, with the time it opened again', () => {
    const histories = foldStatusChanges(
      [
        change('a', '2026-09-01T00:00:00.000Z', {
          findingsOpened: [{ code: 'rotation-overdue' }],
        }),
        change('a', '2026-09-02T00:00:00.000Z', {
          findingsClosed: ['rotation-overdue'],
          findingsExcepted: [{ code: 'rotation-overdue', exception: 'x' }],
        }),
        change('a', '2026-10-09T00:00:00.000Z', {
          findingsOpened: [{ code: 'rotation-overdue' }],
        }),
      ],
      FROM,
    );
    expect(histories.get('a')!.atStart.open.size).toBe(0);
    expect([...histories.get('a')!.atEnd.open]).toEqual([
      ['rotation-overdue', '2026-10-09T00:00:00.000Z'],
    ]);
  });
});
