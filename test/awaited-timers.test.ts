import { describe, expect, it } from 'vitest';
import { fixturePath, REPO_ROOT, runChild } from './helpers/child.ts';

const child = fixturePath('awaited-timer-child.ts');

/** Runs the fixture with `scenario` (bounded: a hang must fail the test, not stall the suite). */
const runScenario = (scenario: string) => runChild(child, [scenario], { cwd: REPO_ROOT });

describe('a timer a pending caller awaits keeps the process alive', () => {
  it('FastPathRouter.route() with a classifier that never settles returns the emergency decision', async () => {
    const { code, stdout, stderr } = await runScenario('router');
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: 'routed source=emergency timedOut=true\n',
      stderr: '',
    });
  });

  it('InFlight.drain() with a task that never settles reports it abandoned', async () => {
    const { code, stdout, stderr } = await runScenario('drain');
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: 'drained finished=0 abandoned=1\n',
      stderr: '',
    });
  });

  it('TemplateCache.compile() on a worker keeps the process alive, and the idle pool lets it exit', async () => {
    const { code, stdout, stderr } = await runScenario('template-worker');
    expect({ code, stdout, stderr }).toEqual({
      code: 0,
      stdout: 'compiled workerCompiles=1 Hello x\n',
      stderr: '',
    });
  });
});
