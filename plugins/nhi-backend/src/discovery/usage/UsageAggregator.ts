import { isIP } from 'net';
import type { UsageObservation } from '@nhi-governance/plugin-nhi-common';
import { cutText } from './cutText';

/**
 * The records of a usage log that one identity made on one day, from one address and user
 * agent, with one outcome: the unit usage is written in. A service calling thousands of times
 * an hour from one host becomes one row, not thousands.
 */
export interface UsageAggregate {
  provider: UsageObservation['provider'];
  externalId?: string;
  principal?: string;
  day: string;
  sourceAddress?: string;
  userAgent?: string;
  region?: string;
  authFailure: boolean;
  count: number;
  /** The hours (UTC) of the day it was seen in, one bit each: the anomaly baseline's hours. */
  hours: number;
  lastAt: string;
}

const SEP = '\u0000';

/** Sums records into aggregates as they stream; memory grows with distinct keys, not records. */
export class UsageAggregator {
  private readonly byKey = new Map<string, UsageAggregate>();

  get size(): number {
    return this.byKey.size;
  }

  /** Adds a record; `at` is its time in canonical ISO form, checked by the caller. */
  add(o: UsageObservation, at: string, authFailure: boolean): void {
    const day = at.slice(0, 10);
    // CloudTrail names AWS services ("s3.amazonaws.com") where a caller's address goes.
    const address =
      o.sourceAddress && isIP(o.sourceAddress) ? o.sourceAddress : undefined;
    const userAgent = o.userAgent ? cutText(o.userAgent, 512) : undefined;
    const region = o.region ? cutText(o.region, 64) : undefined;
    const key = [
      o.provider,
      o.externalId,
      o.principal,
      day,
      address,
      userAgent,
      region,
      authFailure ? 1 : 0,
    ].join(SEP);
    const hour = 1 << Number(at.slice(11, 13));
    const found = this.byKey.get(key);
    if (found) {
      found.count++;
      found.hours |= hour;
      if (at > found.lastAt) found.lastAt = at;
      return;
    }
    this.byKey.set(key, {
      provider: o.provider,
      ...(o.externalId ? { externalId: o.externalId } : {}),
      ...(o.principal ? { principal: o.principal } : {}),
      day,
      ...(address ? { sourceAddress: address } : {}),
      ...(userAgent ? { userAgent } : {}),
      ...(region ? { region } : {}),
      authFailure,
      count: 1,
      hours: hour,
      lastAt: at,
    });
  }

  /** The aggregates so far, in key order (so writes take locks in one order); then empty. */
  take(): UsageAggregate[] {
    const keys = [...this.byKey.keys()].sort();
    const all = keys.map(k => this.byKey.get(k)!);
    this.byKey.clear();
    return all;
  }
}
