import { describe, expect, it } from 'vitest';
import { fixturePath, runChild, targetConditions } from './helpers/child.ts';

const hook = fixturePath('no-ws-hook.ts');
const child = fixturePath('testing-without-ws-child.ts');

/** Against the built package (`CHATLANE_TARGET=dist`) the child resolves `chatlane/testing` to dist. */
const runWithoutWs = () => runChild(child, [], { nodeArgs: [...targetConditions, '--import', hook] });

describe('chatlane/testing without the optional ws peer', () => {
  it('loads, runs FakeOpenRouter, and FakeDiscord.start() names the missing ws package', async () => {
    const { code, out } = await runWithoutWs();
    expect(out).toContain('openrouter 200');
    expect(out).toMatch(/discord failed MISSING_PEER_DEPENDENCY: .*'ws'.*npm install/);
    expect(code).toBe(0);
  });
});
