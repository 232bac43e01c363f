// What the page's long main-thread tasks were made of, from a Chrome trace (CDP tracing through
// playwright-core): each task over 50 ms on the renderer's main thread with the events inside it
// that took longest (script by function and file, style, layout, paint, garbage collection).
// Used by `npm run bench -- app` when LECTERN_BENCH_TRACE=1, to find what to fix.

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time in the event (µs): the wall time less the time it waited for a core. */
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; type?: string; startTime?: number; cpuProfile?: CpuProfileChunk; timeDeltas?: number[] } };
}

interface CpuProfileChunk {
  nodes?: { id: number; parent?: number; callFrame: { functionName: string; url?: string; lineNumber?: number; columnNumber?: number } }[];
  samples?: number[];
}

export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'blink.user_timing', 'disabled-by-default-v8.cpu_profiler'];

export interface LongTask {
  startMs: number;
  ms: number;
  /** The main thread's CPU time in the task: on a loaded machine much of `ms` is waiting for a core. */
  cpuMs: number;
  parts: string[];
  /** The JavaScript functions sampled inside the task (self time, ms), from V8's profiler. */
  functions: string[];
}

interface Sample {
  ts: number;
  frame: string;
}

/** V8's CPU-profile samples of one thread: each a timestamp and its innermost function with its caller. */
function samplesOf(events: TraceEvent[], pid: number, tid: number): Sample[] {
  const profiles = new Map<string, number>();
  for (const e of events) if (e.name === 'Profile' && e.pid === pid && e.tid === tid && e.id) profiles.set(e.id, e.args?.data?.startTime ?? e.ts);
  const frames = new Map<number, { name: string; parent?: number }>();
  const out: Sample[] = [];
  const clock = new Map<string, number>();
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== pid || !e.id || !profiles.has(e.id)) continue;
    const p = e.args?.data?.cpuProfile;
    for (const n of p?.nodes ?? []) {
      const file = (n.callFrame.url ?? '').split('/').pop()?.split('?')[0] ?? '';
      frames.set(n.id, { name: `${n.callFrame.functionName || '(anonymous)'}${file ? ` ${file}:${n.callFrame.lineNumber}` : ''}`, parent: n.parent });
    }
    let t = clock.get(e.id) ?? profiles.get(e.id) ?? 0;
    const deltas = e.args?.data?.timeDeltas ?? [];
    (p?.samples ?? []).forEach((id, i) => {
      t += deltas[i] ?? 0;
      const f = frames.get(id);
      const parent = f?.parent !== undefined ? frames.get(f.parent)?.name : undefined;
      out.push({ ts: t, frame: `${f?.name ?? '?'}${parent ? ` ← ${parent}` : ''}` });
    });
    clock.set(e.id, t);
  }
  return out;
}

function label(e: TraceEvent): string {
  const d = e.args?.data;
  if (d?.functionName !== undefined || d?.url) {
    const file = (d.url ?? '').split('/').pop()?.split('?')[0] ?? '';
    return `${e.name} ${d.functionName || '(anonymous)'} ${file}:${d.lineNumber ?? ''}`;
  }
  if (d?.type) return `${e.name} ${d.type}`;
  return e.name;
}

/** The long tasks of the page's main threads, each with its longest inner events (in ms). */
export function longTasksOf(traceJson: string, overMs = 50, innerTop = 6): LongTask[] {
  const parsed = JSON.parse(traceJson) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mainThreads = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => e.ph === 'X' && e.dur !== undefined && mainThreads.has(`${e.pid}:${e.tid}`));
  const t0 = Math.min(...onMain.map((e) => e.ts));
  const tasks = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) / 1000 > overMs);
  const samples = new Map<string, Sample[]>();
  return tasks.map((task) => {
    const end = task.ts + (task.dur ?? 0);
    const key = `${task.pid}:${task.tid}`;
    if (!samples.has(key)) samples.set(key, samplesOf(events, task.pid, task.tid));
    const inTask = (samples.get(key) ?? []).filter((x) => x.ts >= task.ts && x.ts <= end);
    const selfMs = new Map<string, number>();
    for (let i = 1; i < inTask.length; i++) selfMs.set(inTask[i].frame, (selfMs.get(inTask[i].frame) ?? 0) + (inTask[i].ts - inTask[i - 1].ts) / 1000);
    const functions = [...selfMs].sort((a, b) => b[1] - a[1]).slice(0, innerTop).map(([f, ms]) => `${ms.toFixed(1)} ms ${f}`);
    const inner = onMain.filter((e) => e !== task && e.pid === task.pid && e.tid === task.tid && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && e.name !== 'RunTask');
    inner.sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
    return {
      startMs: Math.round((task.ts - t0) / 1000),
      ms: Math.round((task.dur ?? 0) / 1000),
      cpuMs: Math.round((task.tdur ?? 0) / 1000),
      parts: inner.slice(0, innerTop).map((e) => `${((e.dur ?? 0) / 1000).toFixed(1)} ms ${label(e)}`),
      functions,
    };
  });
}
