import { ConfigReader } from '@backstage/config';
import type { JsonObject, JsonValue } from '@backstage/types';
import { readReviewSettings } from './reviewSettings';

const read = (reviews?: JsonObject) =>
  readReviewSettings(
    new ConfigReader(reviews === undefined ? {} : { nhi: { reviews } }),
  );

describe('readReviewSettings', () => {
  it.each([
    ['no nhi section at all', new ConfigReader({})],
    ['an nhi section without reviews', new ConfigReader({ nhi: {} })],
    ['an empty reviews section', new ConfigReader({ nhi: { reviews: {} } })],
  ])('uses the defaults with %s', (_case, config) => {
    const settings = readReviewSettings(config);
    expect(settings.scheduleCampaigns).toBe(true);
    expect(settings.campaignDuration.toISO()).toBe('P30D');
    expect(settings.reminderBefore.toISO()).toBe('P7D');
    expect(settings.nonResponseAction).toBe('escalate');
    expect(settings.allowApproverToCertify).toBe(false);
    expect(settings.remediationPeriod.toISO()).toBe('P14D');
    expect(settings.exceptionExpiryNotice.toISO()).toBe('P14D');
    expect(settings.securityGroup).toBe('group:default/security');
  });

  it.each<[string, JsonValue, (value: any) => unknown, unknown]>([
    ['scheduleCampaigns', false, v => v, false],
    ['campaignDuration', 'P45D', v => v.toISO(), 'P45D'],
    ['reminderBefore', 'P3D', v => v.toISO(), 'P3D'],
    ['nonResponseAction', 'keep', v => v, 'keep'],
    ['nonResponseAction', 'flag-for-revocation', v => v, 'flag-for-revocation'],
    ['allowApproverToCertify', true, v => v, true],
    ['remediationPeriod', 'P1M', v => v.toISO(), 'P1M'],
    ['exceptionExpiryNotice', 'PT36H', v => v.toISO(), 'PT36H'],
    [
      'securityGroup',
      'group:platform/iam-team',
      v => v,
      'group:platform/iam-team',
    ],
  ])('overrides %s with %p', (key, value, shown, expected) => {
    const settings = read({ [key]: value }) as unknown as Record<
      string,
      unknown
    >;
    expect(shown(settings[key])).toEqual(expected);
    // Every other setting keeps its default.
    const defaults = read({}) as unknown as Record<string, unknown>;
    for (const other of Object.keys(defaults).filter(k => k !== key)) {
      expect(String(settings[other])).toBe(String(defaults[other]));
    }
  });

  it('takes every setting at once', () => {
    const settings = read({
      scheduleCampaigns: false,
      campaignDuration: 'P21D',
      reminderBefore: 'P2D',
      nonResponseAction: 'keep',
      allowApproverToCertify: true,
      remediationPeriod: 'P10D',
      exceptionExpiryNotice: 'P5D',
      securityGroup: 'group:default/secops',
    });
    expect({
      ...settings,
      campaignDuration: settings.campaignDuration.toISO(),
      reminderBefore: settings.reminderBefore.toISO(),
      remediationPeriod: settings.remediationPeriod.toISO(),
      exceptionExpiryNotice: settings.exceptionExpiryNotice.toISO(),
    }).toEqual({
      scheduleCampaigns: false,
      campaignDuration: 'P21D',
      reminderBefore: 'P2D',
      nonResponseAction: 'keep',
      allowApproverToCertify: true,
      remediationPeriod: 'P10D',
      exceptionExpiryNotice: 'P5D',
      securityGroup: 'group:default/secops',
    });
  });

  describe('rejects', () => {
    it.each([
      ['campaignDuration', '30 days'],
      ['reminderBefore', 'P7X'],
      ['remediationPeriod', 'P0D'],
      ['exceptionExpiryNotice', ''],
    ])(
      'a bad duration for %s (%p), naming the key and the reason',
      (key, value) => {
        expect(() => read({ [key]: value })).toThrow(
          `nhi.reviews.${key} must be a positive ISO 8601 duration such as P30D`,
        );
      },
    );

    it('a duration that is not a string, naming the key', () => {
      expect(() => read({ campaignDuration: 30 })).toThrow(
        /nhi\.reviews\.campaignDuration/,
      );
    });

    it('an unknown nonResponseAction, listing the actions there are', () => {
      expect(() => read({ nonResponseAction: 'revoke' })).toThrow(
        'nhi.reviews.nonResponseAction must be one of escalate, keep, flag-for-revocation',
      );
    });

    it.each([
      'security',
      'default/security',
      'group:security',
      'user:default/security',
      'group:default/',
    ])('a security group that is not a full group ref (%p)', value => {
      expect(() => read({ securityGroup: value })).toThrow(
        'nhi.reviews.securityGroup must be a full group ref such as group:default/security',
      );
    });

    it('an unknown key, naming it', () => {
      expect(() => read({ campaignLength: 'P30D' })).toThrow(
        'nhi.reviews.campaignLength is not a review setting',
      );
    });

    it('with one message for all the problems, as an InputError', () => {
      let error: Error | undefined;
      try {
        read({
          reminderBefore: 'soon',
          nonResponseAction: 'ignore',
          nonsense: true,
        });
      } catch (e) {
        error = e as Error;
      }
      expect(error?.name).toBe('InputError');
      expect(error?.message).toMatch(/^Invalid review settings: /);
      expect(error?.message).toContain('nhi.reviews.reminderBefore');
      expect(error?.message).toContain('nhi.reviews.nonResponseAction');
      expect(error?.message).toContain('nhi.reviews.nonsense');
    });
  });
});
