import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { Notice, NoticeBatch, ReviewNotifier } from './ReviewNotifier';

function group(name: string, members: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: members.map(targetRef => ({ type: 'hasMember', targetRef })),
  };
}

const ENTITIES = [
  group('payments', ['user:default/ana', 'user:default/bo']),
  group('platform', ['user:default/bo', 'user:default/cy']),
  group('security', ['user:default/dee']),
  group('empty', []),
];

/**
 * Records what would be sent. It stands in for the notifications backend here; the system
 * tests exercise the real notifications backend end to end.
 */
class RecordingNotifications implements NotificationService {
  readonly sent: NotificationSendOptions[] = [];
  async send(options: NotificationSendOptions): Promise<void> {
    this.sent.push(options);
  }
}

function setUp(
  notifications: NotificationService = new RecordingNotifications(),
) {
  const logger = mockServices.logger.mock();
  const notifier = new ReviewNotifier(
    notifications,
    catalogServiceMock({ entities: ENTITIES }),
    mockServices.auth(),
    logger,
  );
  return { notifier, logger, notifications };
}

const batch = (
  notices: Notice[],
  extra: Partial<NoticeBatch> = {},
): NoticeBatch => ({
  topic: 'nhi.campaign.opened',
  title: count => `${count} machine identities to review`,
  scope: 'nhi:campaign:2026-Q4',
  link: '/nhi/reviews?campaign=2026-Q4',
  notices,
  ...extra,
});

const recipientOf = (n: NotificationSendOptions) =>
  n.recipients.type === 'entity' ? n.recipients.entityRef : n.recipients.type;
const linesOf = (n: NotificationSendOptions) =>
  (n.payload.description ?? '').split('\n');
const messageFor = (sent: NotificationSendOptions[], user: string) => {
  const found = sent.filter(n => recipientOf(n) === user);
  expect(found).toHaveLength(1);
  return found[0];
};

describe('ReviewNotifier.send', () => {
  it('sends one message per person, never one per item', async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    const told = await notifier.send(
      batch([
        { recipients: ['group:default/payments'], line: 'payments-db-writer' },
        { recipients: ['group:default/payments'], line: 'stripe-key' },
        { recipients: ['group:default/payments'], line: 'ledger-sync' },
      ]),
    );
    expect(told).toBe(2);
    expect(notifications.sent.map(recipientOf).sort()).toEqual([
      'user:default/ana',
      'user:default/bo',
    ]);
    for (const message of notifications.sent) {
      expect(linesOf(message)).toEqual([
        '• payments-db-writer',
        '• stripe-key',
        '• ledger-sync',
      ]);
    }
  });

  it('gives a person in two notified groups one message listing the items of both', async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    await notifier.send(
      batch([
        { recipients: ['group:default/payments'], line: 'payments-db-writer' },
        { recipients: ['group:default/platform'], line: 'ci-runner-token' },
      ]),
    );
    expect(notifications.sent).toHaveLength(3);
    expect(linesOf(messageFor(notifications.sent, 'user:default/bo'))).toEqual([
      '• payments-db-writer',
      '• ci-runner-token',
    ]);
    expect(linesOf(messageFor(notifications.sent, 'user:default/ana'))).toEqual(
      ['• payments-db-writer'],
    );
    expect(linesOf(messageFor(notifications.sent, 'user:default/cy'))).toEqual([
      '• ci-runner-token',
    ]);
  });

  it('lists an item once for a person reached through both its groups', async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    await notifier.send(
      batch([
        {
          recipients: ['group:default/payments', 'group:default/platform'],
          line: 'shared-deploy-key',
        },
      ]),
    );
    expect(linesOf(messageFor(notifications.sent, 'user:default/bo'))).toEqual([
      '• shared-deploy-key',
    ]);
  });

  it('sends a user recipient their own message', async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    const told = await notifier.send(
      batch([
        { recipients: ['user:default/eve'], line: 'eve-personal-token' },
        { recipients: ['group:default/security'], line: 'escalated-key' },
      ]),
    );
    expect(told).toBe(2);
    expect(notifications.sent.map(recipientOf).sort()).toEqual([
      'user:default/dee',
      'user:default/eve',
    ]);
    expect(linesOf(messageFor(notifications.sent, 'user:default/eve'))).toEqual(
      ['• eve-personal-token'],
    );
  });

  it('merges what a user hears directly with what their group hears', async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    await notifier.send(
      batch([
        { recipients: ['group:default/security'], line: 'escalated-key' },
        { recipients: ['user:default/dee'], line: 'backup-owner-item' },
      ]),
    );
    expect(notifications.sent).toHaveLength(1);
    expect(linesOf(notifications.sent[0])).toEqual([
      '• escalated-key',
      '• backup-owner-item',
    ]);
  });

  it('sends nothing to a group with no items', async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    await notifier.send(
      batch([
        { recipients: ['group:default/security'], line: 'escalated-key' },
      ]),
    );
    expect(notifications.sent.map(recipientOf)).toEqual(['user:default/dee']);

    const none = new RecordingNotifications();
    expect(await setUp(none).notifier.send(batch([]))).toBe(0);
    expect(none.sent).toEqual([]);
  });

  it('sends nothing for a group without members or missing from the catalog', async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    const told = await notifier.send(
      batch([
        { recipients: ['group:default/empty'], line: 'a' },
        { recipients: ['group:default/gone'], line: 'b' },
      ]),
    );
    expect(told).toBe(0);
    expect(notifications.sent).toEqual([]);
  });

  it('shows 25 lines and summarises the rest as "… and N more"', async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    const items = Array.from({ length: 31 }, (_, i) => `identity-${i + 1}`);
    await notifier.send(
      batch(
        items.map(line => ({ recipients: ['group:default/security'], line })),
      ),
    );
    const lines = linesOf(messageFor(notifications.sent, 'user:default/dee'));
    expect(lines).toHaveLength(26);
    expect(lines.slice(0, 25)).toEqual(items.slice(0, 25).map(l => `• ${l}`));
    expect(lines[25]).toBe('… and 6 more');
  });

  it('adds no summary at exactly 25 lines', async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    await notifier.send(
      batch(
        Array.from({ length: 25 }, (_, i) => ({
          recipients: ['group:default/security'],
          line: `identity-${i + 1}`,
        })),
      ),
    );
    const lines = linesOf(notifications.sent[0]);
    expect(lines).toHaveLength(25);
    expect(lines.join('\n')).not.toContain('more');
  });

  it("titles each message with the count of that person's lines, all of them", async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    await notifier.send(
      batch([
        ...Array.from({ length: 30 }, (_, i) => ({
          recipients: ['group:default/platform'],
          line: `platform-${i}`,
        })),
        { recipients: ['group:default/payments'], line: 'payments-1' },
        { recipients: ['group:default/payments'], line: 'payments-2' },
      ]),
    );
    const title = (user: string) =>
      messageFor(notifications.sent, user).payload.title;
    expect(title('user:default/ana')).toBe('2 machine identities to review');
    expect(title('user:default/cy')).toBe('30 machine identities to review');
    expect(title('user:default/bo')).toBe('32 machine identities to review');
  });

  it('passes the topic, scope and link through, with normal severity by default', async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    await notifier.send(
      batch([{ recipients: ['group:default/security'], line: 'x' }], {
        topic: 'nhi.exception.requested',
        scope: 'nhi:exception:ex-42',
        link: '/nhi/exceptions/ex-42',
      }),
    );
    expect(notifications.sent).toEqual([
      {
        recipients: { type: 'entity', entityRef: 'user:default/dee' },
        payload: expect.objectContaining({
          topic: 'nhi.exception.requested',
          scope: 'nhi:exception:ex-42',
          link: '/nhi/exceptions/ex-42',
          severity: 'normal',
        }),
      },
    ]);
  });

  it('passes a given severity through', async () => {
    const notifications = new RecordingNotifications();
    const { notifier } = setUp(notifications);
    await notifier.send(
      batch([{ recipients: ['user:default/eve'], line: 'x' }], {
        severity: 'high',
      }),
    );
    expect(notifications.sent[0].payload.severity).toBe('high');
  });

  it('logs a failing notifications service and does not throw', async () => {
    const failing: NotificationService = {
      send: async () => {
        throw new Error('notifications backend unavailable');
      },
    };
    const { notifier, logger } = setUp(failing);
    await expect(
      notifier.send(
        batch([{ recipients: ['group:default/payments'], line: 'x' }]),
      ),
    ).resolves.toBe(0);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /nhi\.campaign\.opened.*notifications backend unavailable/,
      ),
    );
  });

  it('still tells the others when one person cannot be reached', async () => {
    const sent: string[] = [];
    const flaky: NotificationService = {
      send: async options => {
        const user = recipientOf(options);
        if (user === 'user:default/ana') throw new Error('mailbox full');
        sent.push(user as string);
      },
    };
    const { notifier, logger } = setUp(flaky);
    await expect(
      notifier.send(
        batch([{ recipients: ['group:default/payments'], line: 'x' }]),
      ),
    ).resolves.toBe(1);
    expect(sent).toEqual(['user:default/bo']);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/user:default\/ana: Error: mailbox full/),
    );
  });
});
