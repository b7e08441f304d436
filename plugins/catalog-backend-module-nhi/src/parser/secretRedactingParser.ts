import {
  CatalogProcessorParser,
  CatalogProcessorResult,
  parseEntityYaml,
} from '@backstage/plugin-catalog-node';
import { scanSecretMaterial } from '@nhi-governance/plugin-nhi-common';
import { isMachineIdentityKind, redactSecrets } from './redactSecrets';

/** The catalog's own parser (`defaultEntityDataParser` in the catalog backend): YAML documents. */
const yamlParser: CatalogProcessorParser = async function* yamlParser({
  data,
  location,
}) {
  yield* parseEntityYaml(data, location);
};

/**
 * A parse error without the text it quotes. The YAML parser follows its message with the line
 * it stopped at, and that line can be the one holding a secret; the line and column are enough
 * to find it. A message whose first line still holds secret material is withheld whole.
 */
async function withoutQuotedText(error: Error): Promise<Error> {
  const [firstLine] = error.message.split('\n');
  const message = firstLine.replace(/:\s*$/, '');
  if ((await scanSecretMaterial(message)).length === 0) {
    return message === error.message ? error : new Error(message);
  }
  const where = /at line \d+, column \d+/.exec(message)?.[0];
  return new Error(
    `The file could not be read${
      where ? ` (${where})` : ''
    }; the parser's message is withheld because it quoted secret material`,
  );
}

/**
 * Wraps the catalog's entity data parser so that nothing the catalog stores from a file holds a
 * MachineIdentity's secret: each one is redacted as it is read, before the catalog keeps the
 * entity in its processing state (`refresh_state`) or anywhere else, and parse errors lose the
 * text they quote. A redacted field keeps its name and the reason
 * (`[redacted: looks like a GitHub token]`), and the MachineIdentity processor still refuses the
 * entity for it, naming the field. Other kinds are passed through untouched.
 *
 * @public
 */
export function createSecretRedactingParser(
  options: { parser?: CatalogProcessorParser } = {},
): CatalogProcessorParser {
  const parser = options.parser ?? yamlParser;
  return async function* secretRedactingParser({ data, location }) {
    for await (const result of parser({ data, location })) {
      yield await redacted(result);
    }
  };
}

async function redacted(
  result: CatalogProcessorResult,
): Promise<CatalogProcessorResult> {
  if (result.type === 'entity' && isMachineIdentityKind(result.entity)) {
    return { ...result, entity: await redactSecrets(result.entity) };
  }
  if (result.type === 'error') {
    return { ...result, error: await withoutQuotedText(result.error) };
  }
  return result;
}
