import { randomUUID } from 'crypto';
import { DateTime } from 'luxon';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  ExceptableFinding,
  ExceptionRequest,
  ExceptionStatus,
  IdentityView,
} from '@nhi-governance/plugin-nhi-common';

import type { NhiStores } from '../database/NhiStores';
import { toView } from '../identities/toView';
import { Actor, actsFor } from './actor';
import type { ReviewServiceDeps } from './ReviewServiceDeps';

export interface ExceptionInput {
  identity: string;
  finding: ExceptableFinding;
  justification: string;
  compensatingControls: string;
  expiresAt: string;
}

/** The longest an exception may run: a year, so each is looked at again at least yearly. */
const MAX_EXCEPTION = { years: 1 };

/**
 * Exceptions: an owner asks to keep a long-lived credential, skip rotation or keep admin scope,
 * for a while and with compensating controls; someone else from security approves or rejects.
 * An approved exception marks the matching finding excepted until it expires.
 */
export class ExceptionService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  list(filter: {
    status?: ExceptionStatus[];
    identity?: string;
    requestedBy?: string;
  }) {
    return this.deps.stores.exceptions
      .listExceptions(filter)
      .then(rows => rows.map(({ expiryNoticedAt: _n, ...e }) => e));
  }

  async request(
    actor: Actor,
    may: IdentityChecks,
    input: ExceptionInput,
    now: DateTime,
  ): Promise<ExceptionRequest> {
    const at = now.toUTC().toISO()!;
    const expiresAt = checkedExpiry(input, now);
    const request: ExceptionRequest = {
      id: randomUUID(),
      identity: input.identity,
      finding: input.finding,
      justification: input.justification.trim(),
      compensatingControls: input.compensatingControls.trim(),
      expiresAt,
      requestedBy: actor.userRef,
      requestedAt: at,
      status: 'pending',
    };
    await this.deps.stores.transaction(async trx => {
      await checkMayRequest(trx, actor, may, input);
      await checkNoneOpen(trx, input, at);
      await trx.exceptions.insertException(request);
      await trx.ledger.appendLedgerEntries(
        [
          {
            kind: 'exception.requested',
            subject: input.identity,
            payload: {
              exceptionId: request.id,
              finding: request.finding,
              justification: request.justification,
              compensatingControls: request.compensatingControls,
              expiresAt: request.expiresAt,
              requestedBy: actor.userRef,
            },
          },
        ],
        at,
      );
    });
    await this.notifySecurity(request);
    return request;
  }

  private async notifySecurity(request: ExceptionRequest) {
    await this.deps.notifier.send({
      topic: 'nhi.exception.requested',
      scope: `nhi:exception:${request.id}:requested`,
      link: '/machine-identities/security',
      title: () => `Exception requested for ${request.identity}`,
      notices: [
        {
          recipients: [this.deps.settings.securityGroup],
          line: `${request.finding} until ${request.expiresAt.slice(
            0,
            10,
          )}, asked by ${request.requestedBy}: ${request.justification}`,
        },
      ],
    });
  }

  /** Approves or rejects a pending request; never by the person who asked for it. */
  async decide(
    actor: Actor,
    mayApprove: (identity: IdentityView) => boolean,
    id: string,
    approve: boolean,
    reason: string,
    now: DateTime,
  ): Promise<ExceptionRequest> {
    const at = now.toUTC().toISO()!;
    if (!reason.trim()) throw new InputError('reason is required');
    let identity = '';
    await this.deps.stores.transaction(async trx => {
      const request = await trx.exceptions.readException(id, true);
      if (!request) throw new NotFoundError(`No exception request ${id}`);
      const stored = await trx.identities.readIdentity(request.identity);
      if (!stored || !mayApprove(toView(stored))) {
        throw new NotAllowedError(
          `Missing permission nhi.exception.approve for ${request.identity}`,
        );
      }
      if (request.requestedBy === actor.userRef) {
        throw new NotAllowedError(
          'The person who requested an exception never approves or rejects it (separation of duties)',
        );
      }
      if (request.status !== 'pending') {
        throw new ConflictError(`Exception ${id} is already ${request.status}`);
      }
      if (approve && request.expiresAt <= at) {
        throw new ConflictError(
          `Exception ${id} expired on ${request.expiresAt} before approval`,
        );
      }
      await trx.exceptions.updateException(id, {
        status: approve ? 'approved' : 'rejected',
        decided_by: actor.userRef,
        decided_at: at,
        decision_reason: reason.trim(),
      });
      await trx.ledger.appendLedgerEntries(
        [
          {
            kind: approve ? 'exception.approved' : 'exception.rejected',
            subject: request.identity,
            payload: {
              exceptionId: id,
              finding: request.finding,
              expiresAt: request.expiresAt,
              requestedBy: request.requestedBy,
              decidedBy: actor.userRef,
              reason: reason.trim(),
            },
          },
        ],
        at,
      );
      await trx.governance.refreshGovernance([request.identity]);
      identity = request.identity;
    });
    this.deps.queueIdentities([identity]);
    const { expiryNoticedAt: _n, ...decided } =
      (await this.deps.stores.exceptions.readException(id))!;
    return decided;
  }
}

/**
 * The request's expiry in UTC, once the request is complete: refused before anything is read,
 * so a malformed request never reaches the database.
 */
function checkedExpiry(input: ExceptionInput, now: DateTime): string {
  const expires = DateTime.fromISO(input.expiresAt, { zone: 'utc' });
  if (expires <= now) {
    throw new InputError('expiresAt must be in the future');
  }
  if (expires > now.plus(MAX_EXCEPTION)) {
    throw new InputError('expiresAt must be at most one year ahead');
  }
  if (!input.justification.trim()) {
    throw new InputError('justification is required');
  }
  if (!input.compensatingControls.trim()) {
    throw new InputError('compensatingControls is required');
  }
  return expires.toUTC().toISO()!;
}

/** What the permission policy lets the caller do with a given identity. */
export interface IdentityChecks {
  read(identity: IdentityView): boolean;
  request(identity: IdentityView): boolean;
}

/** Only the identity's owners ask, and only for an identity still present. */
async function checkMayRequest(
  trx: NhiStores,
  actor: Actor,
  may: IdentityChecks,
  input: ExceptionInput,
) {
  const stored = await trx.identities.readIdentity(input.identity);
  const view = stored && !stored.removedAt ? toView(stored) : undefined;
  // One answer for an identity that is not there and for one the caller may not read, as
  // GET /identities gives: nobody learns from a refusal which identities exist.
  if (!view || !may.read(view)) {
    throw new NotFoundError(`No machine identity ${input.identity}`);
  }
  if (!may.request(view) || !actsFor(actor, [view.owner, view.backupOwner])) {
    throw new NotAllowedError(
      `Only the owners of ${input.identity} may request an exception for it`,
    );
  }
}

/** One live exception per finding and identity, so an approval never has a rival. */
async function checkNoneOpen(
  trx: NhiStores,
  input: ExceptionInput,
  at: string,
) {
  const open = await trx.exceptions.listExceptions({
    identity: input.identity,
    status: ['pending', 'approved'],
  });
  const same = open.find(e => e.finding === input.finding && e.expiresAt > at);
  if (same) {
    throw new ConflictError(
      `An exception for ${input.finding} on ${input.identity} is already ${same.status} (${same.id})`,
    );
  }
}
