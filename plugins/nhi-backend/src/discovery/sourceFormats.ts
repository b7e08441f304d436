import type {
  CredentialSourceFormat,
  LeakSourceFormat,
  NhiConnector,
  NhiDiscoveryExtensionPoint,
  NhiSourceFormat,
  SourceItems,
  SourceKind,
  SourceParser,
  SourceRunContext,
  UsageSourceFormat,
  WarnFn,
} from '@nhi-governance/plugin-nhi-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  DiscoveredCredential,
  LeakReport,
  UsageObservation,
} from '@nhi-governance/plugin-nhi-common';
import { builtInSourceFormats } from './builtInFormats';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const KINDS: ReadonlySet<string> = new Set(['credentials', 'usage', 'leaks']);

/** The format a connector's source reads as: `connector:<id>`. */
export const connectorFormat = (id: string) => `connector:${id}`;

/** How long a connector's read may take: the discovery task's own timeout. */
const CONNECTOR_TIMEOUT_MS = 30 * 60_000;

const SILENT: LoggerService = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child: () => SILENT,
};

/**
 * The formats (and connectors) discovery can read: the built-ins first, then those modules
 * added through `nhiDiscoveryExtensionPoint`. A bad or taken name is refused when added, which
 * stops start-up with the name in the message.
 */
export class SourceFormatRegistry implements NhiDiscoveryExtensionPoint {
  private readonly formats = new Map<string, NhiSourceFormat>();
  private readonly connectors = new Map<string, NhiConnector>();
  logger?: LoggerService;

  /** A registry holding the built-in formats, added through the same door as a module's. */
  static withBuiltIns(): SourceFormatRegistry {
    const registry = new SourceFormatRegistry();
    builtInSourceFormats.forEach(f => registry.addSourceFormat(f));
    return registry;
  }

  addSourceFormat(format: NhiSourceFormat): void {
    const where = `Discovery source format ${JSON.stringify(format.name)}`;
    checkName(where, format.name, this.formats.has(format.name));
    checkKind(where, format.kind);
    if (typeof format.parse !== 'function') {
      throw new Error(`${where}: parse must be a function`);
    }
    this.formats.set(format.name, format);
  }

  addConnector(connector: NhiConnector): void {
    const where = `Discovery connector ${JSON.stringify(connector.id)}`;
    checkName(where, connector.id, this.connectors.has(connector.id));
    checkKind(where, connector.kind);
    if (typeof connector.read !== 'function') {
      throw new Error(`${where}: read must be a function`);
    }
    this.connectors.set(connector.id, connector);
    // A connector is read the way a file is: as a format whose parser calls the API instead
    // of reading its (empty) input, so a run keeps or fails exactly as a file's does.
    this.formats.set(connectorFormat(connector.id), asFormat(connector, this));
  }

  /** The logger connectors are given; set once the plugin's logger is at hand. */
  useLogger(logger: LoggerService) {
    this.logger = logger;
  }

  connector(id: string): NhiConnector | undefined {
    return this.connectors.get(id);
  }

  names(): string[] {
    return [...this.formats.keys()];
  }

  get(name: string): NhiSourceFormat | undefined {
    return this.formats.get(name);
  }

  kind(name: string): SourceKind | undefined {
    return this.formats.get(name)?.kind;
  }

  credentials(name: string): CredentialSourceFormat | undefined {
    const f = this.formats.get(name);
    return f?.kind === 'credentials' ? f : undefined;
  }

  usage(name: string): UsageSourceFormat | undefined {
    const f = this.formats.get(name);
    return f?.kind === 'usage' ? f : undefined;
  }

  leaks(name: string): LeakSourceFormat | undefined {
    const f = this.formats.get(name);
    return f?.kind === 'leaks' ? f : undefined;
  }

  connectorIds(): string[] {
    return [...this.connectors.keys()];
  }

  /**
   * The parser of a registered file format of that kind, for a connector that fetched what the
   * format describes.
   * @throws Error naming the format when none of that kind is registered
   */
  parserOf<K extends SourceKind>(
    kind: K,
    format: string,
  ): SourceParser<SourceItems[K]> {
    const found = this.formats.get(format);
    if (found?.kind !== kind || format.startsWith('connector:')) {
      throw new Error(
        `no ${kind} file format ${JSON.stringify(format)} is registered`,
      );
    }
    return found.parse as SourceParser<SourceItems[K]>;
  }
}

/** A run that keeps nothing between reads: a test, or a tool reading a connector once. */
const NO_RUN: SourceRunContext = {
  scopes: { read() {}, failed() {} },
  logObjects: {
    lastComplete: async () => undefined,
    isComplete: async () => false,
    done() {},
  },
};

function asFormat(
  connector: NhiConnector,
  registry: SourceFormatRegistry,
): NhiSourceFormat {
  const read = (
    warn: WarnFn,
    settings: Record<string, unknown>,
    run: SourceRunContext = NO_RUN,
  ) =>
    connector.read({
      settings,
      warn,
      ...run,
      logger: registry.logger?.child({ connector: connector.id }) ?? SILENT,
      signal: AbortSignal.timeout(CONNECTOR_TIMEOUT_MS),
      parseAs: (kind, format, input, formatSettings = {}) =>
        registry.parserOf(kind, format)(input, warn, formatSettings),
    });
  const name = connectorFormat(connector.id);
  const { settingsSchema } = connector;
  switch (connector.kind) {
    case 'credentials':
      return {
        name,
        kind: 'credentials',
        provider: connector.provider,
        reportsUsage: connector.reportsUsage,
        settingsSchema,
        parse: (_input, warn, settings, run) =>
          read(warn, settings, run) as AsyncIterable<DiscoveredCredential>,
      };
    case 'usage':
      return {
        name,
        kind: 'usage',
        settingsSchema,
        parse: (_input, warn, settings, run) =>
          read(warn, settings, run) as AsyncIterable<UsageObservation>,
      };
    default:
      return {
        name,
        kind: 'leaks',
        settingsSchema,
        parse: (_input, warn, settings, run) =>
          read(warn, settings, run) as AsyncIterable<LeakReport>,
      };
  }
}

function checkName(where: string, name: unknown, taken: boolean) {
  if (typeof name !== 'string' || !KEBAB.test(name)) {
    throw new Error(
      `${where}: the name must be kebab-case, such as aws-credential-report`,
    );
  }
  if (taken) throw new Error(`${where}: the name is already registered`);
}

function checkKind(where: string, kind: unknown) {
  if (typeof kind !== 'string' || !KINDS.has(kind)) {
    throw new Error(`${where}: kind must be one of credentials, usage, leaks`);
  }
}

/** The built-in formats alone: the default where no registry is passed (tests, tools). */
export const BUILT_IN_FORMATS = SourceFormatRegistry.withBuiltIns();

type Parse<F extends { parse: unknown }> = F['parse'];

// The built-in formats by kind, as before the registry, for tools and tests that list them.
const byKind = <F extends NhiSourceFormat>(kind: SourceKind) =>
  builtInSourceFormats.filter((f): f is F => f.kind === kind);

export const CREDENTIAL_FORMATS: Record<string, CredentialSourceFormat> =
  Object.fromEntries(
    byKind<CredentialSourceFormat>('credentials').map(f => [f.name, f]),
  );
export const USAGE_FORMATS: Record<
  string,
  Parse<UsageSourceFormat>
> = Object.fromEntries(
  byKind<UsageSourceFormat>('usage').map(f => [f.name, f.parse]),
);
export const LEAK_FORMATS: Record<
  string,
  Parse<LeakSourceFormat>
> = Object.fromEntries(
  byKind<LeakSourceFormat>('leaks').map(f => [f.name, f.parse]),
);

export type SourceFormat = string;

export function formatKind(
  format: string,
  formats: SourceFormatRegistry = BUILT_IN_FORMATS,
): SourceKind {
  return formats.kind(format) ?? 'leaks';
}
