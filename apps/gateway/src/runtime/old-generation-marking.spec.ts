import { execFileSync } from 'node:child_process';
import { OLD_GENERATION_MARKING_FLAGS } from './old-generation-marking';

describe('OLD_GENERATION_MARKING_FLAGS', () => {
  // setFlagsFromString ignores a flag V8 no longer has: a Node upgrade must not drop them unseen
  it('are flags of this Node\'s V8', () => {
    const v8Options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });

    for (const flag of OLD_GENERATION_MARKING_FLAGS) expect(v8Options).toContain(`${flag.split('=')[0]} (`);
  });

  it('start a process that takes them on its command line', () => {
    const out = execFileSync(process.execPath, [...OLD_GENERATION_MARKING_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });

    expect(out).toBe('ok');
  });
});
