import * as assert from 'node:assert/strict';
import { mapBounded, runJobs, type Job } from '../../../tasks/ApimDeploy/core/state/scheduler';

/** Jobs that record start/end order and the peak number running; each waits a few turns of the event loop. */
function harness() {
  const events: string[] = [];
  let running = 0;
  let peak = 0;
  const job = (id: string, deps: string[] = [], fail = false, turns = 3): Job => ({
    id,
    label: id,
    deps,
    run: async () => {
      running++;
      peak = Math.max(peak, running);
      events.push(`start ${id}`);
      for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
      running--;
      events.push(`end ${id}`);
      if (fail) throw new Error(`${id} broke`);
    },
  });
  return { events, job, peak: () => peak };
}

describe('ApimDeploy v2: apply scheduler', () => {
  it('runs independent jobs at once, never more than the bound', async () => {
    const h = harness();
    const jobs = Array.from({ length: 10 }, (_, i) => h.job(`api${i}`));
    const r = await runJobs(jobs, 4);
    assert.equal(h.peak(), 4);
    assert.equal(r.applied.length, 10);
    assert.deepEqual(r.failed, []);
    assert.deepEqual(r.notApplied, []);
  });

  it('starts a job only after every job it depends on succeeded; a dependency with nothing to do counts as done', async () => {
    const h = harness();
    const r = await runJobs([h.job('product', ['api1', 'api2']), h.job('api1', ['nv']), h.job('api2', ['unchanged-nv']), h.job('nv')], 8);
    const at = (e: string) => h.events.indexOf(e);
    assert.ok(at('end nv') < at('start api1'));
    assert.ok(at('start api2') < at('end nv'), 'api2 does not wait for an entity that is not in the list');
    assert.ok(at('end api1') < at('start product') && at('end api2') < at('start product'));
    assert.equal(r.applied.length, 4);
  });

  it('after a failure starts nothing new, lets running jobs finish and reports applied, failed and not applied', async () => {
    const h = harness();
    const jobs = [h.job('a', [], false, 8), h.job('b', [], true), h.job('c'), h.job('d'), h.job('e', ['b'])];
    const r = await runJobs(jobs, 2);
    assert.deepEqual(r.failed.map((f) => [f.job.id, (f.error as Error).message]), [['b', 'b broke']]);
    assert.deepEqual(r.applied.map((j) => j.id), ['a']);
    assert.deepEqual(r.notApplied.map((j) => j.id).sort(), ['c', 'd', 'e']);
    assert.ok(!h.events.includes('start c'), h.events.join(', '));
    assert.ok(h.events.indexOf('end a') > h.events.indexOf('end b'), 'the running job was not abandoned');
  });

  it('with one at a time runs in order; a cycle is refused', async () => {
    const h = harness();
    await runJobs([h.job('x'), h.job('y')], 1);
    assert.deepEqual(h.events, ['start x', 'end x', 'start y', 'end y']);
    await assert.rejects(runJobs([h.job('p', ['q']), h.job('q', ['p'])], 2), /dependency cycle/);
  });

  it('mapBounded keeps order and bounds concurrency', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([1, 2, 3, 4, 5, 6], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return n * 2;
    });
    assert.deepEqual(out, [2, 4, 6, 8, 10, 12]);
    assert.equal(peak, 3);
    await assert.rejects(mapBounded([1, 2], 2, async (n) => { if (n === 2) throw new Error('two'); return n; }), /two/);
  });
});
