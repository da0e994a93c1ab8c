/**
 * Summarizes a V8 CPU profile (from `npm run bench -- --cpu-prof=DIR`, which starts the
 * gateway nodes with node --cpu-prof): top functions by self time, and self time by
 * module, leaving out idle time.
 *
 *   npx tsx bench/profile-summary.ts DIR/CPU.*.cpuprofile [--top=25] [--skip-ms=3000] [--until-ms=14000]
 *
 * --skip-ms leaves out the first milliseconds of each profile (start-up, module loading);
 * --until-ms the samples after that time (a server's shutdown, or a phase after the one studied).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a function lives: a package, a file of this repo, or node's internals. */
function moduleOf(url: string): string {
  if (url === '') return '(native / vm)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  const repo = /\/(apps|libs|dist)\/(.*)$/.exec(url);
  return repo ? `${repo[1]}/${repo[2]}` : url;
}

function main(): void {
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 25);
  const skipUs = 1000 * Number(process.argv.find((a) => a.startsWith('--skip-ms='))?.slice(10) ?? 0);
  const untilUs = 1000 * Number(process.argv.find((a) => a.startsWith('--until-ms='))?.slice(11) ?? Infinity);
  if (files.length === 0) {
    process.stderr.write('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile... [--top=25] [--skip-ms=0] [--until-ms=end]\n');
    process.exitCode = 1;
    return;
  }
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    let elapsedUs = 0;
    for (let i = 0; i < profile.samples.length; i++) {
      const node = nodes.get(profile.samples[i]);
      const us = profile.timeDeltas[i] ?? 0;
      elapsedUs += us;
      if (!node || elapsedUs < skipUs || elapsedUs > untilUs) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      if (functionName === '(idle)') {
        idle += us;
        continue;
      }
      busy += us;
      const key = `${functionName || '(anonymous)'}  ${moduleOf(url)}${url ? `:${lineNumber + 1}` : ''}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + us);
      byModule.set(moduleOf(url), (byModule.get(moduleOf(url)) ?? 0) + us);
    }
  }
  const print = (title: string, map: Map<string, number>) => {
    process.stdout.write(`\n${title}\n`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}\n`);
    }
  };
  process.stdout.write(`busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms (shares below are of busy time)\n`);
  print('self time by function', byFunction);
  print('self time by module', byModule);
}

main();
