import { Coalescer } from './Coalescer';

describe('Coalescer', () => {
  it('gathers what arrives during a run into one next run, and answers every caller', async () => {
    const runs: string[][] = [];
    let release!: () => void;
    const coalescer = new Coalescer<string>(async items => {
      runs.push([...items].sort());
      if (runs.length === 1) await new Promise<void>(r => (release = r));
    });
    const first = coalescer.run(['a']);
    await Promise.resolve();
    const second = coalescer.run(['b', 'c']);
    const third = coalescer.run(['c', 'd']);
    release();
    await Promise.all([first, second, third]);
    expect(runs).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('rejects the callers of a failed run and keeps working for later ones', async () => {
    let fail = true;
    const coalescer = new Coalescer<number>(async () => {
      if (fail) throw new Error('database gone');
    });
    await expect(coalescer.run([1])).rejects.toThrow('database gone');
    fail = false;
    await expect(coalescer.run([2])).resolves.toBeUndefined();
  });
});
