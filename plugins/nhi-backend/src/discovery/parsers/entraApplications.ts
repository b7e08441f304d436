import { z } from 'zod';
import type {
  DiscoveredCredential,
  DiscoveredCredentialKind,
} from '@nhi-governance/plugin-nhi-common';
import { streamJsonArray } from './json';
import { parseLenient } from './lenient';
import { ignoreWarnings, WarnFn } from './SourceWarning';
import { SourceInput } from './stream';
import { oneOf, optionalText, optionalTimestamp } from './values';

const SOURCE = 'entra-applications';

// Only ids, names and dates are read. `secretText` (the secret, returned once on creation),
// `hint` (its first characters) and `key` (certificate bytes) are never picked up.
const credentialFields = {
  keyId: z.string({ error: 'must be the credential id' }).min(1),
  displayName: optionalText(),
  startDateTime: optionalTimestamp(),
  endDateTime: optionalTimestamp(),
};

const listOf = <T extends z.ZodType>(schema: T) =>
  z
    .array(schema, { error: 'must be a list' })
    .nullish()
    .transform(v => v ?? []);

/**
 * An application or service principal of Microsoft Graph, as far as its credentials go. The
 * appId names it; the object id is not used (and `$select` may leave it out). A credential
 * without its keyId is left out of the list it was in, with a warning.
 */
const applicationSchema = z.object({
  appId: z.string({ error: 'must be the application (client) id' }),
  displayName: optionalText(),
  passwordCredentials: listOf(z.object(credentialFields)),
  keyCredentials: listOf(
    z.object({
      ...credentialFields,
      type: oneOf([
        'AsymmetricX509Cert',
        'X509CertAndPassword',
        'Symmetric',
      ]).optional(),
      usage: oneOf(['Verify', 'Sign']).optional(),
    }),
  ),
});

type KeyCredential = z.output<
  typeof applicationSchema
>['keyCredentials'][number];

/**
 * A symmetric key is a shared secret; a certificate either proves the app (Verify) or signs
 * tokens (Sign). A key of unreadable type or usage counts as the common case, a certificate
 * that proves the app.
 */
const kindOfKey = (key: KeyCredential): DiscoveredCredentialKind => {
  if (key.type === 'Symmetric') return 'client-secret';
  return key.usage === 'Sign' ? 'signing-certificate' : 'client-certificate';
};

/**
 * Reads Microsoft Graph applications or service principals (`GET /applications`,
 * `GET /servicePrincipals`, one page: `{ value: [...] }`): one credential per client secret
 * (passwordCredentials) and per certificate or key (keyCredentials), named by its keyId.
 * The page's `@odata.nextLink` is the caller's to follow.
 */
export async function* parseEntraApplications(
  input: SourceInput,
  warn: WarnFn = ignoreWarnings,
): AsyncGenerator<DiscoveredCredential> {
  for await (const item of streamJsonArray(input, SOURCE, ['value'])) {
    const app = parseLenient(applicationSchema, item, SOURCE, warn);
    const name = app.displayName ?? app.appId;
    const credentials = [
      ...app.passwordCredentials.map(c => ({
        ...c,
        kind: 'client-secret' as const,
      })),
      ...app.keyCredentials.map(k => ({ ...k, kind: kindOfKey(k) })),
    ];
    for (const credential of credentials) {
      yield {
        provider: 'azure',
        externalId: credential.keyId,
        kind: credential.kind,
        principal: app.appId,
        displayName: credential.displayName
          ? `${name}: ${credential.displayName}`
          : name,
        // Graph marks no credential disabled: one past its endDateTime simply fails.
        active: true,
        createdAt: credential.startDateTime,
        expiresAt: credential.endDateTime,
      };
    }
  }
}
