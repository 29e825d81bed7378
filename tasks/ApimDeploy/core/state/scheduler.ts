/**
 * Runs jobs in dependency order with at most `parallelism` at once. A job starts when every job it
 * depends on has succeeded (a dependency outside the list counts as done: it had nothing to do).
 * The first failure stops new starts; the jobs already running finish, and the result says what
 * was applied, what failed and what was never started.
 */

export interface Job {
  id: string;
  /** For logs and the report. */
  label: string;
  deps: readonly string[];
  run(): Promise<void>;
}

export interface ScheduleResult {
  applied: Job[];
  failed: Array<{ job: Job; error: unknown }>;
  notApplied: Job[];
}

export interface ScheduleHooks {
  onStart?(job: Job): void;
  onDone?(job: Job): void;
  /** The first failure, before the running jobs finish (so they can stop writing too). */
  onFail?(job: Job, error: unknown): void;
}

/** Ids that appear twice or dependency cycles are programming errors of the planner, reported as such. */
function checkGraph(jobs: readonly Job[]): void {
  const ids = new Set<string>();
  for (const j of jobs) {
    if (ids.has(j.id)) throw new Error(`scheduler: job '${j.id}' is listed twice`);
    ids.add(j.id);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const visit = (j: Job, trail: string[]) => {
    if (state.get(j.id) === 'done') return;
    if (state.get(j.id) === 'visiting') throw new Error(`scheduler: dependency cycle ${[...trail, j.id].join(' -> ')}`);
    state.set(j.id, 'visiting');
    for (const d of j.deps) {
      const dep = byId.get(d);
      if (dep) visit(dep, [...trail, j.id]);
    }
    state.set(j.id, 'done');
  };
  for (const j of jobs) visit(j, []);
}

export async function runJobs(jobs: readonly Job[], parallelism: number, hooks: ScheduleHooks = {}): Promise<ScheduleResult> {
  checkGraph(jobs);
  const limit = Math.max(1, Math.floor(parallelism));
  const listed = new Set(jobs.map((j) => j.id));
  const succeeded = new Set<string>();
  const waiting = [...jobs];
  const applied: Job[] = [];
  const failed: ScheduleResult['failed'] = [];
  let running = 0;
  let stopped = false;

  return new Promise<ScheduleResult>((resolve) => {
    const finish = () => resolve({ applied, failed, notApplied: waiting.splice(0) });
    const pump = () => {
      while (!stopped && running < limit) {
        const index = waiting.findIndex((j) => j.deps.every((d) => !listed.has(d) || succeeded.has(d)));
        if (index < 0) break;
        const [job] = waiting.splice(index, 1) as [Job];
        running++;
        hooks.onStart?.(job);
        // Settled either way before pump runs again: no unhandled rejection, no second start.
        void job.run().then(
          () => {
            running--;
            succeeded.add(job.id);
            applied.push(job);
            hooks.onDone?.(job);
            pump();
          },
          (error: unknown) => {
            running--;
            if (!stopped) hooks.onFail?.(job, error);
            stopped = true;
            failed.push({ job, error });
            pump();
          },
        );
      }
      if (running === 0) finish();
    };
    pump();
  });
}

/** `fn` over every item with at most `parallelism` calls at once; results in input order; the first failure rejects (after the running calls end). */
export async function mapBounded<T, R>(items: readonly T[], parallelism: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, Math.floor(parallelism)), Math.max(1, items.length)) }, worker));
  if (failure) throw failure.error;
  return out;
}
