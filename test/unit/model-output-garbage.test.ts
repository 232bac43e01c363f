import { constants, PerformanceObserver } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { fullCollector, OutputGarbage, youngGenerationCollector } from '../../main/core/model/output-garbage.js';

/** The kinds of garbage collection (perf_hooks constants) that ran while `collect` was called. */
async function gcKindsDuring(collect: (() => void) | null): Promise<number[]> {
  const kinds: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) kinds.push((e.detail as { kind: number }).kind);
  });
  observer.observe({ entryTypes: ['gc'] });
  collect?.();
  // GC entries are delivered in a later task.
  await new Promise((r) => setTimeout(r, 50));
  observer.disconnect();
  return kinds;
}

describe('output garbage', () => {
  it('collects once the outputs handed out pass the budget, then counts afresh', () => {
    let collections = 0;
    const garbage = new OutputGarbage(1000, () => () => collections++);
    garbage.add(600);
    garbage.collectIfDue();
    expect(collections).toBe(0);
    garbage.add(400);
    garbage.collectIfDue();
    expect(collections).toBe(1);
    garbage.collectIfDue();
    expect(collections).toBe(1);
    garbage.add(999);
    garbage.collectIfDue();
    expect(collections).toBe(1);
  });

  it('gets V8’s young-generation collector on Node without leaving gc exposed to other contexts', () => {
    const collect = youngGenerationCollector();
    expect(collect).toBeTypeOf('function');
    expect(() => collect?.()).not.toThrow();
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });

  it('runs a young-generation collection when called', async () => {
    expect(await gcKindsDuring(youngGenerationCollector())).toContain(constants.NODE_PERFORMANCE_GC_MINOR);
  });

  it('runs a full collection when called (adding a long text frees the dead copies of each stage)', async () => {
    expect(await gcKindsDuring(fullCollector())).toContain(constants.NODE_PERFORMANCE_GC_MAJOR);
  });
});
