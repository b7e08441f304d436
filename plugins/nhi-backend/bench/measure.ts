/** Runs `work`, which answers how many items it handled, sampling the peak RSS meanwhile. */
export async function measureWork(name: string, work: () => Promise<number>) {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const start = process.hrtime.bigint();
  const count = await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    name,
    items: count,
    seconds: Math.round(seconds * 10) / 10,
    perSecond: Math.round(count / seconds),
    peakRssMb: Math.round(peak / 2 ** 20),
  };
}

export type Measured = Awaited<ReturnType<typeof measureWork>>;

export function print(results: Measured[]) {
  for (const r of results) {
    console.log(
      `  ${r.name.padEnd(52)} ${r.items.toLocaleString('en')} items in ${
        r.seconds
      } s (${r.perSecond.toLocaleString('en')}/s), peak RSS ${
        r.peakRssMb
      } MB (target < 1 GB)`,
    );
  }
}
