import type { VerifyFailure } from './types';

/** Past this many failures in one file, the rest are counted, not listed. */
const MAX_FAILURES_PER_FILE = 100;

/** The failures found so far, at most a hundred listed per file. */
export class Failures {
  readonly list: VerifyFailure[] = [];
  private readonly perFile = new Map<string, number>();

  add = (failure: VerifyFailure, at = this.list.length) => {
    const count = (this.perFile.get(failure.file) ?? 0) + 1;
    this.perFile.set(failure.file, count);
    if (count <= MAX_FAILURES_PER_FILE) this.list.splice(at, 0, failure);
  };

  /** The list, with a line for each file whose failures were not all listed. */
  done(): VerifyFailure[] {
    for (const [file, count] of this.perFile) {
      if (count > MAX_FAILURES_PER_FILE) {
        this.list.push({
          file,
          reason: `${
            count - MAX_FAILURES_PER_FILE
          } more failures in this file, not listed`,
        });
      }
    }
    return this.list;
  }
}
