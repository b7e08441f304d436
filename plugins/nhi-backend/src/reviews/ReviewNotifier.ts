import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';

/** One thing to tell: who should hear (groups or users) and a line about one item. */
export interface Notice {
  recipients: string[];
  line: string;
}

export interface NoticeBatch {
  /** Notification topic, e.g. `nhi.campaign.opened`. */
  topic: string;
  title: (count: number) => string;
  /** Re-sending the same scope updates the earlier message instead of adding one. */
  scope: string;
  link: string;
  severity?: NotificationSeverity;
  notices: Notice[];
}

/** Lines shown in one message before "and N more". */
const MAX_LINES = 25;

/**
 * Sends review notifications through Backstage's notifications service, batched per person:
 * groups are resolved to their members here, so a person in two owning groups gets one message
 * listing the items of both, never one message per item. Nobody with nothing to hear gets a
 * message. Failures are logged, never thrown: the decision they report has been recorded.
 */
export class ReviewNotifier {
  constructor(
    private readonly notifications: NotificationService,
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  /** Sends the batch; answers how many people were told. */
  async send(batch: NoticeBatch): Promise<number> {
    try {
      const members = await this.membersOf(
        batch.notices.flatMap(n => n.recipients),
      );
      const linesByUser = new Map<string, string[]>();
      for (const notice of batch.notices) {
        for (const recipient of notice.recipients) {
          for (const user of members.get(recipient) ?? []) {
            const lines = linesByUser.get(user) ?? [];
            if (!lines.includes(notice.line)) lines.push(notice.line);
            linesByUser.set(user, lines);
          }
        }
      }
      let told = 0;
      for (const [user, lines] of [...linesByUser].sort(([a], [b]) =>
        a.localeCompare(b),
      )) {
        // One person's failed delivery does not keep the others from hearing.
        try {
          await this.notifications.send({
            recipients: { type: 'entity', entityRef: user },
            payload: this.payload(batch, lines),
          });
          told++;
        } catch (error) {
          this.logger.warn(
            `Could not send ${batch.topic} notification to ${user}: ${error}`,
          );
        }
      }
      return told;
    } catch (error) {
      this.logger.warn(`Could not send ${batch.topic} notifications: ${error}`);
      return 0;
    }
  }

  private payload(batch: NoticeBatch, lines: string[]) {
    const shown = lines.slice(0, MAX_LINES);
    const more = lines.length - shown.length;
    return {
      title: batch.title(lines.length),
      description: [
        ...shown.map(l => `• ${l}`),
        ...(more > 0 ? [`… and ${more} more`] : []),
      ].join('\n'),
      link: batch.link,
      topic: batch.topic,
      scope: batch.scope,
      severity: batch.severity ?? ('normal' as const),
    };
  }

  /** Each recipient ref's people: a user is themself, a group is its members. */
  private async membersOf(refs: string[]): Promise<Map<string, string[]>> {
    const unique = [...new Set(refs)];
    const out = new Map<string, string[]>();
    const groups = unique.filter(r => r.startsWith('group:'));
    for (const ref of unique) {
      if (ref.startsWith('user:')) out.set(ref, [ref]);
    }
    if (groups.length === 0) return out;
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: groups, fields: ['kind', 'metadata.name', 'relations'] },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    groups.forEach((group, i) => {
      const users = (items[i]?.relations ?? [])
        .filter(r => r.type === 'hasMember')
        .map(r => r.targetRef);
      out.set(group, users);
    });
    return out;
  }
}
