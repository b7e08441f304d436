import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './backend';

/** The entities of one file of the example organisation, read straight from the YAML. */
export function exampleEntities(file: string): any[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8');
  return parseAllDocuments(text)
    .map(doc => doc.toJSON())
    .filter(Boolean);
}
