/**
 * A FakeOpenRouter in a child process, so `process.cpuUsage()` in the bench process is the
 * client's CPU only. Started by {@link startFakeChild} with a JSON config of behaviours.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { type FakeBehaviour, FakeOpenRouter } from 'chatlane/testing';

/** Behaviours of the child's fake: the default, and scripts per model. */
export interface FakeChildConfig {
  defaultBehaviour?: FakeBehaviour;
  scripts?: Record<string, FakeBehaviour>;
}

/** Starts the fake in a child process; `child.disconnect()` stops it. */
export function startFakeChild(
  config: FakeChildConfig = {},
): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = fork(new URL(import.meta.url).pathname, ['--fake-child', JSON.stringify(config)], {
    execArgv: ['--conditions=chatlane-source'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, baseUrl: (message as { baseUrl: string }).baseUrl }));
    child.once('error', reject);
  });
}

async function serve(config: FakeChildConfig): Promise<void> {
  const fake = await FakeOpenRouter.start({ record: false, defaultBehaviour: config.defaultBehaviour });
  for (const [model, behaviour] of Object.entries(config.scripts ?? {})) fake.script(model, behaviour);
  process.send?.({ baseUrl: fake.baseUrl });
  process.once('disconnect', () => void fake.close());
}

const at = process.argv.indexOf('--fake-child');
if (at !== -1) await serve(JSON.parse(process.argv[at + 1] ?? '{}') as FakeChildConfig);
